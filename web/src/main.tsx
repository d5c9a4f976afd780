import '@mantine/core/styles.css';
import './app/app.css';
import { createRoot } from 'react-dom/client';
import { App, ConfigMissing } from './app/app';
import { loadConfig } from './lib/config';
import { initI18n } from './lib/i18n';

// Texts and configuration first: every screen needs both.
const root = createRoot(document.getElementById('root')!);
await initI18n();
try {
  root.render(<App config={await loadConfig()} />);
} catch {
  root.render(<ConfigMissing />);
}
