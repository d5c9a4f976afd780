/** The templates screens, for the lazily loaded routes only. */
export { TemplateList } from './components/template-list';
export { NewTemplate } from './components/new-template';
export { TemplatePage } from './components/template-page';
export { ApplyTemplate } from './components/apply-template';
export { JobView } from './components/job-view';
