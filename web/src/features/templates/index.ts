export { TemplateSelect } from './components/template-select';
export { TemplateLink } from './components/template-link';
