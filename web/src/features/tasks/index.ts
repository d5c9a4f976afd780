export { TaskRegister } from './components/task-register';
export { useTasks, type Task } from './api/get-tasks';
