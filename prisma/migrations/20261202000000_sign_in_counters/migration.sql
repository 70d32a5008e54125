-- Sign-in attempts are reserved in counters before a password is checked, in
-- one upsert, so concurrent guesses cannot all read "not locked" (issue 9).
-- The failure log they replace is kept in the audit log (sign_in.failure).
DROP TABLE "sign_in_failures";

-- CreateTable
CREATE TABLE "sign_in_counters" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "max_attempts" INTEGER NOT NULL,
    "last_attempt_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_counters_pkey" PRIMARY KEY ("key")
);
