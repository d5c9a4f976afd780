// A stand-in until the notices editor (branch web-notices) replaces this file: the task's notices, read-only.
export { NoticesTab } from './components/notices-tab';
