import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fold, mentionedIdentifiers, nameForms, nameParts, scrubFreeText, type HashedSubjects, type TextSubject } from "../free-text.ts";

const petra: TextSubject = {
  name: "Petra Nováková",
  email: "p.novakova77@example.com",
  phone: "+12530851105",
  externalId: "demo-000042",
  pushToken: "ExponentPushToken[abc123xyz]",
};
const jan: TextSubject = { name: "Jan de Vries", email: "jan@example.nl", externalId: "crm_9001" };

describe("whoever's they are: emails and phone numbers", () => {
  it.each([
    ["an email", "Asked by anna.smith+loyalty@mail.example.org today", "Asked by [erased] today"],
    ["an email in brackets", "(from <bob@x.co.uk>)", "(from <[erased]>)"],
    ["an international phone", "Called from +1 253 085 1105.", "Called from [erased]."],
    ["the same phone in national form", "Called from (253) 085-1105", "Called from [erased]"],
    ["a phone in brackets keeps the brackets", "(call 020 7946 0958) later", "(call [erased]) later"],
    ["a bracketed phone alone", "reached at (020 7946 0958).", "reached at ([erased])."],
    ["digits with dots", "tel 253.085.1105", "tel [erased]"],
    ["a UK number with its trunk zero", "ring 020 7946 0958 after six", "ring [erased] after six"],
    ["00 as the international prefix", "0044 20 7946 0958", "[erased]"],
    ["a German mobile with a slash", "Handy 0151/23456789", "Handy [erased]"],
    ["digits typed apart", "number 2 5 3 0 8 5 1 1 0 5", "number [erased]"],
    ["dashes with spaces around them", "call 555 - 123 - 4567", "call [erased]"],
    ["an en dash", "call 555–123–4567", "call [erased]"],
    ["a non-breaking hyphen", "call 555\u2011123\u20114567", "call [erased]"],
    ["a spaced slash", "Tel 0171 / 123456", "Tel [erased]"],
    ["a French number in pairs", "au 06 12 34 56 78", "au [erased]"],
    ["a phone after #", "phone #555-123-4567", "phone #[erased]"],
    ["an email ending in an underscore", "from john_@example.com", "from [erased]"],
    ["an email with a tilde", "from first~last@x.com", "from [erased]"],
  ])("%s", (_name, text, expected) => {
    expect(scrubFreeText(text).text).toBe(expected);
  });

  it.each([
    ["an ISO date", "Received 2026-12-07, call back 2027-01-07"],
    ["a European date", "Letter dated 07/12/2026 and 7.1.2027"],
    ["a ticket reference after #", "Zendesk ticket #48123456"],
    ["short numbers", "Asked twice, 12 days apart, about 3 orders of 250 points"],
    ["a time", "Called at 10:30"],
    ["plain words", "Customer asked to be forgotten under Art. 17"],
    ["a legal reference", "Regulation (EU) 2016/679, Directive 95/46/EC"],
    ["a date and a time", "Received 2026-12-07 10:30 by post"],
    ["a date range", "Paused 2026-12-07/2027-01-07"],
    ["a file's date stamp", "export_20261207.csv"],
    ["a ticket number", "Ticket 4567890, case no. 1234567, order #1234567"],
    ["a prefixed reference", "Jira ZD-1234567 and PRIV_7654321"],
  ])("keeps %s", (_name, text) => {
    expect(scrubFreeText(text)).toEqual({ text, removed: 0 });
  });
});

describe("of the people it concerns", () => {
  it.each([
    ["the full name", "Petra Nováková asked by letter", "[erased] asked by letter"],
    ["the first name alone", "petra asked by letter", "[erased] asked by letter"],
    ["the surname without its accents", "Mrs NOVAKOVA wrote in", "Mrs [erased] wrote in"],
    ["the email's local part", "signed p.novakova77, verified", "signed [erased], verified"],
    ["the external id", "CRM record demo-000042: close it", "CRM record [erased]: close it"],
    ["the push token", "token ExponentPushToken[abc123xyz] revoked", "token [erased] revoked"],
    ["a name inside a file name", "petra-novakova-request.csv", "[erased]-request.csv"],
    ["several people at once", "Jan de Vries and Petra, ids crm_9001 and demo-000042", "[erased] and [erased], ids [erased] and [erased]"],
  ])("%s", (_name, text, expected) => {
    expect(scrubFreeText(text, [petra, jan]).text).toBe(expected);
  });

  it.each([
    ["O'Brien typed without the apostrophe", { name: "Seán O'Brien" }, "Mr OBrien and Sean called", "Mr [erased] and [erased] called"],
    ["ü typed as ue", { name: "Jürgen Müller" }, "Herr Mueller (Juergen) rief an", "Herr [erased] ([erased]) rief an"],
    ["ß typed as ss", { name: "Hans Strauß" }, "Strauss wrote", "[erased] wrote"],
    ["Ł without its stroke", { name: "Łukasz Nowak" }, "from Lukasz", "from [erased]"],
    ["a tagged email's local part", { email: "sean.obrien+shop@example.com" }, "signed sean.obrien", "signed [erased]"],
    ["the pieces of a local part", { email: "sean.obrien+shop@example.com" }, "obrien asked", "[erased] asked"],
    ["an external id in an assignment", { externalId: "cus_456" }, "id=cus_456 and cus_456's order", "id=[erased] and [erased]'s order"],
  ])("%s", (_name, subject, text, expected) => {
    expect(scrubFreeText(text, [subject]).text).toBe(expected);
  });

  it("takes an everyday word out only beside another part of the same name when a text concerns several people", () => {
    const listed = [{ name: "Will May" }, { name: "To Le" }, { name: "He Do" }, { name: "Rose Grant" }];
    expect(scrubFreeText("To be done in May, he will; Will May and Rose asked", listed).text).toBe(
      "To be done in May, he will; [erased] and Rose asked",
    );
    // For one person, a first name is taken out alone, everyday word or not.
    expect(scrubFreeText("Rose asked in May", [{ name: "Rose Grant" }]).text).toBe("[erased] asked in May");
  });

  it("does not take a short numeric id for a number, nor a role mailbox's name for a word", () => {
    const subject = { externalId: "1042", email: "info@example.com" };
    expect(scrubFreeText("Since 1042 and #1042: info sent", [subject]).text).toBe("Since 1042 and #1042: info sent");
    expect(scrubFreeText("CRM 104277", [{ externalId: "104277" }]).text).toBe("CRM [erased]");
  });

  it("keeps words that only contain a name", () => {
    expect(scrubFreeText("Petrarch's sonnets; Janet called", [petra, jan]).text).toBe("Petrarch's sonnets; Janet called");
  });

  it("counts what it took out", () => {
    expect(scrubFreeText("Petra (petra@x.io, 253 085 1105)", [petra]).removed).toBe(3);
  });

  it("ignores identifiers too short to recognise", () => {
    expect(scrubFreeText("ok by me", [{ name: "M", externalId: "me" }]).text).toBe("ok by me");
  });
});

describe("of erased people, by their tombstones' hashes", () => {
  const hmac = (kind: string) => (value: string) => createHmac("sha256", "secret").update(`${kind}:${value}`).digest("hex");
  const hashed: HashedSubjects = {
    externalIdHash: hmac("external_id"),
    namePartHash: hmac("name"),
    people: [{ externalIdHash: hmac("external_id")("demo-000042"), nameHashes: nameForms("Petra Nováková").map(hmac("name")) }],
  };

  it("recognises the external id and every part of the name", () => {
    expect(scrubFreeText("Extended: demo-000042 (Petra NOVAKOVÁ) sent papers late", [], hashed).text).toBe(
      "Extended: [erased] ([erased]) sent papers late",
    );
  });
});

describe("mentionedIdentifiers", () => {
  it("finds emails, and external ids inside tokens", () => {
    expect(mentionedIdentifiers("From A@X.io re id=cus_1, cus_2's and cus_3/cus_4.")).toEqual({
      emails: ["a@x.io"],
      tokens: expect.arrayContaining(["From", "id=cus_1", "cus_1", "cus_2", "cus_3", "cus_4"]),
    });
  });
});

describe("fold and nameParts", () => {
  it("compare without case or accents", () => {
    expect(fold("ZOË Ångström")).toBe("zoe angstrom");
    expect(nameParts("Anne-Marie  O'Neil J")).toEqual(["anne", "marie", "neil"]);
    expect(nameForms("Anne-Marie O'Neil")).toEqual(expect.arrayContaining(["anne", "marie", "neil", "annemarie", "oneil"]));
    expect(fold("Strauß Øster Łódź")).toBe("strauss oster lodz");
  });
});
