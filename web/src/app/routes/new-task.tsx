import { NewTask } from '@/features/task';

/** Creating a task, from the register's "Ny oppgave". */
export default function NewTaskRoute() {
  return <NewTask />;
}
