export { NewTask } from './components/new-task';
export { TaskPage } from './components/task-page';
export type { Task } from './api/task-queries';
