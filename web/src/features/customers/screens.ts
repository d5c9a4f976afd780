/**
 * The customers screens, for the lazily loaded routes only: they bring the form kit, the
 * API's schemas and the phone number module, which the register's bundle (index.ts) leaves out.
 */
export { CustomerCard, type CustomerSection } from './components/customer-card';
export { CustomerForm } from './components/customer-form';
export { CustomerList } from './components/customer-list';
