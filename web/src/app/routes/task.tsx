import { useParams } from 'react-router';
import { NoticesTab } from '@/features/notices';
import { TaskPage } from '@/features/task';

/** The task page; its Varsler tab is the notices editor. */
export default function TaskRoute() {
  const { taskId = '' } = useParams();
  return <TaskPage key={taskId} taskId={taskId} notices={(task, onSaved) => <NoticesTab task={task} onSaved={onSaved} />} />;
}
