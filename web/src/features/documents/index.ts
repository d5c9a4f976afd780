export { CustomerDocuments } from './components/customer-documents';
export { SentCopy } from './components/sent-copy';
