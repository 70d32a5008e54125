import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { PURPOSE_FIELDS } from "../consent/model.ts";
import type { Purpose } from "../consent/purposes.ts";

export interface CustomerInput {
  externalId?: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  pushToken?: string | null;
  createdAt?: Date;
  /** Omit (or null) for "not recorded". */
  consent?: { purposes?: Partial<Record<Purpose, boolean | null>>; vendors?: Record<string, boolean> } | null;
  audiences?: string[];
}

/** Makes one customer with unique identifiers; tests make their own records with it. */
export async function createCustomer(prisma: PrismaClient, input: CustomerInput = {}) {
  const tag = randomUUID().slice(0, 8);
  const name = input.name === undefined ? `Test Customer ${tag}` : input.name;
  const email = input.email === undefined ? `test.${tag}@example.test` : input.email;
  const customer = await prisma.customer.create({
    data: {
      externalId: input.externalId ?? `test_${tag}`,
      name,
      nameSearch: name?.toLowerCase() ?? null,
      email: email?.toLowerCase() ?? null,
      phone:
        input.phone === undefined
          ? `+1999${Math.floor(Math.random() * 1e7)
              .toString()
              .padStart(7, "0")}`
          : input.phone,
      pushToken: input.pushToken === undefined ? `fcm:${tag}` : input.pushToken,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
  });
  if (input.consent) {
    const purposes = Object.fromEntries(Object.entries(input.consent.purposes ?? {}).map(([p, v]) => [PURPOSE_FIELDS[p as Purpose], v]));
    await prisma.customerConsent.create({
      data: { customerId: customer.id, vendors: input.consent.vendors ?? {}, ...purposes },
    });
  }
  for (const audienceId of input.audiences ?? []) {
    const allowed = (p: Purpose) => !input.consent || input.consent.purposes?.[p] === true;
    await prisma.audienceMembership.create({
      data: {
        audienceId,
        customerId: customer.id,
        email: allowed("email_marketing") ? customer.email : null,
        pushToken: allowed("push_notifications") ? customer.pushToken : null,
      },
    });
  }
  return customer;
}

export async function createAudience(prisma: PrismaClient, name = `Audience ${randomUUID().slice(0, 8)}`) {
  return prisma.audience.create({ data: { name } });
}
