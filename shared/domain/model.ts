import type { Occurrence, PlannedNotice } from './plan-occurrences.ts';

/** What every stored entity carries for optimistic concurrency and audit. */
export interface Versioned {
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type Channel = 'email' | 'sms';

export interface CustomerFields {
  name: string;
  email?: string;
  /** E.164. */
  mobile?: string;
  optIn: { email: boolean; sms: boolean };
  /** Norwegian organisation number, nine digits (MOD11-checked). */
  orgNumber?: string;
  /** The firm's own number for the customer. */
  customerNumber?: string;
}

export interface Customer extends CustomerFields, Versioned {
  id: string;
  /** Set when an Idempotency-Key created it (see use-cases/idempotent-create.ts). */
  idempotency?: { key: string; requestHash: string };
  /** Set from SES bounce and complaint events: dispatch sends no e-mail to this address. */
  suppressed?: { email?: { address: string; reason: 'bounce' | 'complaint'; at: string } };
}

export interface SettingsFields {
  firm: { name?: string; email?: string; phone?: string };
  timeZone: string;
  emailSender?: { from: string; replyTo?: string; displayName?: string };
  smsAccount?: { username: string };
  smsSender?: string;
  smsSenderActivated: boolean;
  /** How late a notice may still go out after an outage; absent in settings saved before it existed (24). */
  maxLatenessHours?: number;
}

export interface Settings extends SettingsFields, Versioned {
  /** Where the SMS password is kept (the secret store); the password itself never is here. */
  smsPassword?: { name: string; versionId: string };
  /** The job that re-plans the open tasks after the latest change of time zone (shared/domain/job.ts). */
  timeZoneJobId?: string;
}

export interface Notice extends PlannedNotice {
  id: string;
  channels: Channel[];
  subject?: string;
  message: string;
}

export type TaskStatus = 'open' | 'completed';

export interface TaskFields {
  title: string;
  customerId: string;
  /** `YYYY-MM-DD`, or an ISO date-time with offset. */
  deadline?: string;
  responsible?: string;
  description?: string;
  notices: Notice[];
}

export interface TaskPlan {
  plannedAt: string;
  timeZone: string;
  occurrences: Occurrence[];
}

export interface Task extends TaskFields, Versioned {
  id: string;
  idempotency?: { key: string; requestHash: string };
  status: TaskStatus;
  completedAt?: string;
  plan: TaskPlan;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface TaskQuery {
  customerId?: string;
  status?: TaskStatus;
  deadlineFrom?: string;
  deadlineTo?: string;
  hasNotices?: boolean;
  limit: number;
  cursor?: string;
}
