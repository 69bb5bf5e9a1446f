// Content Library › Container images: dev pushes the busybox image to web-team with skopeo and the
// token of the kubeconfig they downloaded, and sees it listed with its tag, digest and pusher;
// dana, who may view only ml-team, does not see it.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { downloadKubeconfig, expect, pageAs, screenshotBothThemes, signIn, test } from "./fixtures";

const run = promisify(execFile);
const BUSYBOX = path.resolve(".cache/busybox-oci");

interface Kubeconfig {
  clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
  users: { user: { token: string } }[];
}

test("an image dev pushes with skopeo is listed in the Content Library for dev, and not for someone without a role in its namespace", async ({ page, browser }) => {
  const image = JSON.parse(readFileSync(path.join(BUSYBOX, "skylight-image.json"), "utf8")) as { tag: string; digest: string };
  await signIn(page, "dev");
  const kubeconfig = parse(readFileSync(await downloadKubeconfig(page, "dev"), "utf8")) as Kubeconfig;
  const certs = mkdtempSync(path.join(tmpdir(), "skylight-e2e-registry-"));
  writeFileSync(path.join(certs, "ca.crt"), Buffer.from(kubeconfig.clusters[0]!.cluster["certificate-authority-data"], "base64"));
  const registry = new URL(kubeconfig.clusters[0]!.cluster.server).host;
  await run("skopeo", ["copy", "--dest-cert-dir", certs, "--dest-registry-token", kubeconfig.users[0]!.user.token, `oci:${BUSYBOX}:${image.tag}`, `docker://${registry}/web-team/busybox:${image.tag}`], {
    timeout: 60_000,
  });

  await page.getByRole("navigation", { name: "Navigator" }).getByRole("link", { name: "Content Library" }).click();
  await expect(page.getByRole("heading", { name: "Content Library" })).toBeVisible();
  const row = page.getByRole("table", { name: "Container images" }).getByRole("row", { name: /web-team\/busybox/ });
  await expect(row).toContainText(image.digest.slice(0, 19));
  await expect(row.getByRole("cell").nth(2)).toHaveText(image.tag);
  await expect(row).toContainText("1.0 MiB");
  await expect(row.getByRole("cell").last()).toHaveText("dev");
  // VM images are for administrators and operators.
  await expect(page.getByRole("table", { name: "Content library images" })).toHaveCount(0);
  await screenshotBothThemes(page, "content-library-container-images");

  const dana = await pageAs(browser, "dana");
  await dana.goto("/library");
  await expect(dana.getByText("No container images yet.")).toBeVisible();
  await dana.context().close();
});
