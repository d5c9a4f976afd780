export { NoticesTab, type NoticesTabProps } from './components/notices-tab';
export { NoticesEditor, type NoticesEditorProps } from './components/notices-editor';
export { NoticeForm, type NoticeCheck } from './components/notice-form';
export { describeNotice } from './utils/describe-notice';
export type { Notice, NoticeInput } from './utils/notice-values';
