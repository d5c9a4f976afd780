import { useEffect } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { CustomerDocuments } from '@/features/documents';
import { CustomerCard, type CustomerSection } from '@/features/customers/screens';
import { useFirmTimeZone } from '@/features/settings';

const SECTIONS: readonly CustomerSection[] = ['details', 'tasks', 'documents'];

/** The customer card; the section shown is in the URL (`?section=documents`), so a link or a reload keeps it. */
export default function CustomerRoute() {
  const { customerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const timeZone = useFirmTimeZone();
  const asked = params.get('section') as CustomerSection | null;
  const section = asked && SECTIONS.includes(asked) ? asked : 'details';

  // Just created: the card's title takes the focus, so a screen reader says where the user is.
  const focusTitle = (location.state as { focusTitle?: boolean } | null)?.focusTitle;
  useEffect(() => {
    if (!focusTitle) return;
    const timer = setInterval(() => {
      const title = document.getElementById('customer-title');
      if (title) {
        title.focus();
        clearInterval(timer);
      }
    }, 50);
    return () => clearInterval(timer);
  }, [focusTitle, customerId]);

  return (
    <CustomerCard
      customerId={customerId}
      section={section}
      onSection={(next) => setParams(next === 'details' ? {} : { section: next }, { replace: true })}
      onDeleted={() => void navigate('/customers', { replace: true })}
      documents={<CustomerDocuments customerId={customerId} timeZone={timeZone} />}
    />
  );
}
