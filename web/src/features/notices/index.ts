export { NoticesTab, type NoticesTabProps } from './components/notices-tab';
