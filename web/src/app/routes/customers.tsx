import { CustomerList } from '@/features/customers/screens';

/** The customers: search by name, page, open one, or make a new one. */
export default function CustomersRoute() {
  return <CustomerList />;
}
