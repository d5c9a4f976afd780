import { TaskRegister } from '@/features/tasks';

/** Home: the task register. */
export function TasksRoute() {
  return <TaskRegister />;
}
