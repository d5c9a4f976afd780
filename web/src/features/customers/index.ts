export { useCustomer, type Customer } from './api/get-customer';
export { CustomerSelect } from './components/customer-select';
