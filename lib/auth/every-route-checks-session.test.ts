// Guards the rule that every page, route handler and server action checks the session on the
// server itself: a new file that forgets fails here, before it can ship.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function filesUnder(directory: string, name: RegExp): string[] {
  return readdirSync(path.join(root, directory), { recursive: true, encoding: "utf8" })
    .filter((file) => name.test(path.basename(file)))
    .map((file) => path.join(directory, file));
}

describe("server-side session checks", () => {
  it("every page but the sign-in page calls requireUser or requirePermission", () => {
    const pages = filesUnder("app", /^page\.tsx$/).filter((page) => page !== path.join("app", "login", "page.tsx"));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(readFileSync(path.join(root, page), "utf8"), page).toMatch(/require(User|Permission)\(/);
  });

  it("every route handler is wrapped in withUser", () => {
    for (const route of filesUnder("app/api", /^route\.ts$/)) {
      expect(readFileSync(path.join(root, route), "utf8"), route).toMatch(/withUser\(/);
    }
  });

  it("every server action outside sign-in and sign-out is built on the authenticated chain", () => {
    const actions = filesUnder("lib/actions", /\.ts$/).filter((file) => readFileSync(path.join(root, file), "utf8").startsWith('"use server"'));
    for (const action of actions) {
      if (/auth\/sign-(in|out)\.ts$/.test(action)) continue;
      expect(readFileSync(path.join(root, action), "utf8"), action).toMatch(/(actionRequiring|authenticatedAction)\(?/);
    }
  });
});
