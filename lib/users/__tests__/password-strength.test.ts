import { describe, expect, it } from "vitest";
import { passwordWeakness } from "../password-strength.ts";

describe("passwordWeakness", () => {
  it.each([
    ["a common password", "password1234"],
    ["one letter repeated", "aaaaaaaaaaaa"],
    ["a keyboard walk", "qwertyuiop12"],
    ["a sequence", "abcdefghijkl"],
    ["a common word with a year", "sunshine2024"],
    ["too short", "x7#Kq9!"],
  ])("refuses %s", (_name, password) => {
    expect(passwordWeakness(password)).toMatch(/Too easy to guess|at least 12/);
  });

  it("refuses the person's own email and name", () => {
    expect(passwordWeakness("ada.lovelace1815", ["ada.lovelace@example.com", "Ada Lovelace"])).toMatch(/Too easy to guess/);
  });

  it.each(["correct horse battery staple", "tulip-orbit-canyon-41", "Vq8#mT2!pLx9zR"])("accepts %s", (password) => {
    expect(passwordWeakness(password)).toBeNull();
  });
});
