// The New Virtual Machine wizard's Customize step, shared by the wizard (checked before Next) and
// the create action: cloud-init for Linux images (user data as cloud-config YAML, an SSH key for the
// default user, a host name) or Sysprep for Windows images (computer name, owner and organization,
// the administrator password as a Secret's key), turned into vm-operator v1alpha3's
// spec.bootstrap and spec.network.hostName. vm-operator carries inline only the subset of a
// cloud-config its cloudConfig names (CLOUD_CONFIG_KEYS); anything else belongs in a Secret that
// rawCloudConfig references, which kubectl can write.
import { z } from "zod";
import { CLOUD_CONFIG_KEYS, cloudConfigSchema, dns1123LabelSchema, dns1123SubdomainSchema, bootstrapSizeRefusal, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { parseUntrustedYaml } from "@/lib/http/untrusted-yaml";

/** Windows computer names (NetBIOS) are at most 15 characters. */
const MAX_COMPUTER_NAME = 15;
const SSH_KEY = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( \S.*)?$/;

const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal(""), schema]);

export const customizationSchema = z.object({
  /** Which the chosen image takes: cloud-init (Linux) or Sysprep (Windows); the wizard sets it from the image. */
  guestCustomization: z.enum(["cloudInit", "sysprep"]),
  userData: z.string(),
  sshAuthorizedKey: optional(z.string().trim().max(16 * 1024, "must be at most 16 KiB").regex(SSH_KEY, "must be one OpenSSH public key line: its type (ssh-ed25519, ssh-rsa, ecdsa-…), the key, and an optional comment")),
  hostName: optional(dns1123LabelSchema),
  sysprepFullName: z.string().trim().max(256, "must be at most 256 characters"),
  sysprepOrgName: z.string().trim().max(256, "must be at most 256 characters"),
  /** A Secret in the VM's namespace whose key `password` holds the administrator password. */
  sysprepPasswordSecret: optional(dns1123SubdomainSchema),
});
export type CustomizationValues = z.infer<typeof customizationSchema>;

export const NO_CUSTOMIZATION: CustomizationValues = { guestCustomization: "cloudInit", userData: "", sshAuthorizedKey: "", hostName: "", sysprepFullName: "", sysprepOrgName: "", sysprepPasswordSecret: "" };

/** The user data as vm-operator's cloudConfig, or why it cannot be: not YAML, not a mapping, a key it does not carry, a field of the wrong shape. */
export function parseUserData(text: string): { cloudConfig: z.infer<typeof cloudConfigSchema> } | { error: string } {
  const tooBig = bootstrapSizeRefusal(text);
  if (tooBig) return { error: tooBig };
  let value: unknown;
  try {
    value = parseUntrustedYaml(text);
  } catch (error) {
    return { error: `is not valid YAML: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { error: "must be a cloud-config mapping (users:, runcmd:, …)" };
  const unknown = Object.keys(value).filter((key) => !(CLOUD_CONFIG_KEYS as readonly string[]).includes(key));
  if (unknown.length) return { error: `${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not among what vm-operator's cloudConfig carries (${CLOUD_CONFIG_KEYS.join(", ")})` };
  const parsed = cloudConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `${issue.path.join(".")}: ${issue.message}` };
  }
  // As the engine measures it: YAML written as JSON may grow past the limit.
  const asStored = bootstrapSizeRefusal({ cloudInit: { cloudConfig: parsed.data } });
  return asStored ? { error: `${asStored} as the VM's spec stores it` } : { cloudConfig: parsed.data };
}

/** The customization's fields, each refused beside itself: user data that vm-operator could not carry, half an answer file. */
export function refineCustomization(values: CustomizationValues, context: z.RefinementCtx) {
  if (values.guestCustomization === "cloudInit" && values.userData.trim()) {
    const parsed = parseUserData(values.userData);
    const together = "error" in parsed ? null : bootstrapSizeRefusal(customizedSpec(values).bootstrap);
    if ("error" in parsed) context.addIssue({ code: "custom", path: ["userData"], message: parsed.error });
    else if (together) context.addIssue({ code: "custom", path: ["userData"], message: `${together} with the SSH key` });
  }
  if (values.guestCustomization === "sysprep") {
    if (values.hostName.length > MAX_COMPUTER_NAME) context.addIssue({ code: "custom", path: ["hostName"], message: `must be at most ${MAX_COMPUTER_NAME} characters for a Windows computer name` });
    const answered = [values.sysprepFullName, values.sysprepOrgName, values.sysprepPasswordSecret].some(Boolean);
    if (answered && !values.sysprepFullName) context.addIssue({ code: "custom", path: ["sysprepFullName"], message: "is required for Sysprep: the owner's name" });
    if (answered && !values.sysprepOrgName) context.addIssue({ code: "custom", path: ["sysprepOrgName"], message: "is required for Sysprep: the owner's organization" });
  }
}

/** What the VM's spec gains from the customization, once refineCustomization passed it: nothing, cloud-init, or Sysprep. */
export function customizedSpec(values: CustomizationValues): Pick<VirtualMachineSpec, "bootstrap"> & { hostName?: string } {
  const hostName = values.hostName || undefined;
  if (values.guestCustomization === "sysprep") {
    if (!values.sysprepFullName) return { hostName };
    const sysprep = {
      userData: { fullName: values.sysprepFullName, orgName: values.sysprepOrgName },
      ...(values.sysprepPasswordSecret && { guiUnattended: { password: { name: values.sysprepPasswordSecret, key: "password" } } }),
    };
    return { hostName, bootstrap: { sysprep: { sysprep } } };
  }
  const parsed = values.userData.trim() ? parseUserData(values.userData) : null;
  if (parsed && "error" in parsed) throw new InvalidInputError("userData", `User data ${parsed.error}.`);
  const cloudInit = {
    ...(parsed && { cloudConfig: parsed.cloudConfig }),
    ...(values.sshAuthorizedKey && { sshAuthorizedKeys: [values.sshAuthorizedKey] }),
  };
  return { hostName, ...(Object.keys(cloudInit).length > 0 && { bootstrap: { cloudInit } }) };
}
