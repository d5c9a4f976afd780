import { useParams } from 'react-router';
import { ApplyTemplate, JobView, NewTemplate, TemplateList, TemplatePage } from '@/features/templates/screens';
import { useFirmTimeZone } from '@/features/settings';

/** The templates screens: the list, a new one, one template, applying it, and the job an apply started. */
export default function TemplatesRoute({ screen }: { screen: 'list' | 'new' | 'one' | 'apply' | 'job' }) {
  const { templateId = '', jobId = '' } = useParams();
  const timeZone = useFirmTimeZone();
  if (screen === 'list') return <TemplateList timeZone={timeZone} />;
  if (screen === 'new') return <NewTemplate timeZone={timeZone} />;
  if (screen === 'apply') return <ApplyTemplate key={templateId} templateId={templateId} />;
  if (screen === 'job') return <JobView key={jobId} jobId={jobId} timeZone={timeZone} />;
  return <TemplatePage key={templateId} templateId={templateId} timeZone={timeZone} />;
}
