import { SettingsUpdate } from '../shared/api/settings.schemas.ts';
import type { Ports } from '../shared/ports.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { getSettings, putSettings } from '../shared/use-cases/settings.ts';
import { createTask } from '../shared/use-cases/tasks.ts';

export const DEMO_TENANT = 'demo';

/**
 * A demo firm with settings, three customers and tasks with notices. Its first notices fall
 * due about a minute after start. A tenant that has settings already (a --persist restart)
 * is left as it is.
 */
export async function seedDemo(ports: Ports): Promise<{ seeded: boolean }> {
  if ((await getSettings(ports, DEMO_TENANT)).version > 0) return { seeded: false };
  // Parsed as PUT /settings would: the same defaults and normalisation.
  const settings = SettingsUpdate.parse({
    firm: { name: 'Tall og Tid Regnskap AS', email: 'post@tallogtid.example', phone: '+47 22 33 44 55' },
    timeZone: 'Europe/Oslo',
    emailSender: { from: 'varsel@tallogtid.example', replyTo: 'post@tallogtid.example', displayName: 'Tall og Tid' },
    smsAccount: { username: 'tallogtid', password: 'local-demo-password' },
    smsSender: 'TallOgTid',
    smsSenderActivated: true,
    version: 0,
  });
  await putSettings(ports, DEMO_TENANT, settings);
  const optIn = { email: true, sms: true };
  const bakery = await createCustomer(ports, DEMO_TENANT, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example', mobile: '+4791234567', optIn });
  const garage = await createCustomer(ports, DEMO_TENANT, { name: 'Øvre Verksted ANS', email: 'regnskap@ovreverksted.example', optIn });
  const studio = await createCustomer(ports, DEMO_TENANT, { name: 'Åsen Studio', mobile: '+4741234567', optIn });

  const now = ports.clock.now();
  const inMinutes = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const soon = {
    when: 'before' as const,
    offset: 'PT1M',
    channels: ['email' as const, 'sms' as const],
    subject: 'Påminnelse: {{task.title}} har frist {{task.deadline}}',
    message: 'Hei {{customer.name}}!\n\nFristen for «{{task.title}}» er {{task.deadline}}. Send oss bilagene i god tid.\n\nHilsen {{firm.name}}',
  };
  await createTask(ports, DEMO_TENANT, {
    title: 'Bilag for november',
    customerId: bakery.id,
    deadline: inMinutes(2),
    responsible: 'Kari Nordmann',
    notices: [
      soon,
      {
        ...soon,
        when: 'after',
        offset: 'PT0S',
        subject: 'Fristen for {{task.title}} er passert',
        message: 'Hei {{customer.name}}, fristen for {{task.title}} er passert. Hilsen {{firm.name}}',
      },
    ],
  });
  const nextMonth = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  await createTask(ports, DEMO_TENANT, {
    title: 'MVA-melding 6. termin',
    customerId: garage.id,
    deadline: nextMonth,
    responsible: 'Ola Nordmann',
    notices: [
      {
        when: 'before',
        offset: 'P7D',
        channels: ['email'],
        subject: 'MVA-meldingen nærmer seg',
        message: 'Hei {{customer.name}}, MVA-meldingen har frist {{task.deadline}}.',
      },
      {
        when: 'after',
        offset: 'P1D',
        channels: ['email'],
        subject: 'MVA-meldingen er forsinket',
        message: 'Hei {{customer.name}}, vi mangler fortsatt bilag.',
        repeat: { every: 7, times: 2 },
      },
    ],
  });
  await createTask(ports, DEMO_TENANT, {
    title: 'Årsoppgjør',
    customerId: studio.id,
    deadline: nextMonth,
    notices: [
      {
        when: 'before',
        offset: 'P3D',
        sendAt: '08:30',
        channels: ['sms'],
        message: 'Hei {{customer.name}}, husk årsoppgjøret: frist {{task.deadline}}. {{firm.name}}',
      },
    ],
  });
  await createTask(ports, DEMO_TENANT, { title: 'Aksjonærregisteroppgave', customerId: studio.id, notices: [] });
  return { seeded: true };
}
