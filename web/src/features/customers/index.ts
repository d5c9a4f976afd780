export { useCustomer, type Customer } from './api/get-customer';
export { CustomerName } from './components/customer-name';
export { CustomerSelect } from './components/customer-select';
