export { TaskRegister } from './components/task-register';
export { TaskFilters } from './components/task-filters';
export { useTasks, type Task } from './api/get-tasks';
export { filtersFrom, searchOf, type TaskFilters as RegisterFilters } from './utils/register-params';
