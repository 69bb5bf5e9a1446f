"use client";
// Content Library › Import: a qcow2, raw or ISO file, the image's name and its guest OS label. The
// file goes to the server as the request body (XMLHttpRequest, for its upload progress), which
// streams it into the library's store; the dialog shows the progress, then the checksum recorded.
import { zodResolver } from "@hookform/resolvers/zod";
import { Upload } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { imageNameSchema, type ImageManifest } from "@/lib/library/image-manifest";
import { LIBRARY_IMAGES_URL } from "@/lib/queries/library-queries";

const importSchema = z.object({
  name: imageNameSchema,
  os: z.string().max(256, "must be at most 256 characters"),
  file: z.custom<FileList>((files) => files instanceof FileList && files.length === 1, "Choose a qcow2, raw or ISO file."),
});
type ImportValues = z.infer<typeof importSchema>;

type UploadState = { state: "idle" } | { state: "sending"; percent: number } | { state: "checking" } | { state: "done"; image: ImageManifest };

interface UploadError {
  field?: string;
  message: string;
}

function send(values: ImportValues, onProgress: (percent: number) => void): Promise<ImageManifest> {
  const file = values.file[0]!;
  const search = new URLSearchParams({ name: values.name, os: values.os, fileName: file.name });
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `${LIBRARY_IMAGES_URL}?${search}`);
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(Math.floor((event.loaded * 100) / event.total));
    request.onerror = () => reject({ message: "The upload was interrupted." } satisfies UploadError);
    request.onload = () => {
      const body = JSON.parse(request.responseText || "null") as { image?: ImageManifest; error?: UploadError } | null;
      if (request.status === 201 && body?.image) resolve(body.image);
      else reject(body?.error ?? ({ message: `The server answered ${request.status}.` } satisfies UploadError));
    };
    request.send(file);
  });
}

const formatLimit = (bytes: number) => `${+(bytes / 1024 ** 3).toFixed(1)} GiB`;

export function ImportImageDialog({ maxUploadBytes }: { maxUploadBytes: number }) {
  const [open, setOpen] = useState(false);
  const [upload, setUpload] = useState<UploadState>({ state: "idle" });
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<ImportValues>({ resolver: zodResolver(importSchema), defaultValues: { name: "", os: "" } });
  const errors = form.formState.errors;
  const busy = upload.state === "sending" || upload.state === "checking";

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    if (values.file[0]!.size > maxUploadBytes) {
      form.setError("file", { message: `The file is larger than the upload limit of ${formatLimit(maxUploadBytes)}.` });
      return;
    }
    setUpload({ state: "sending", percent: 0 });
    try {
      const image = await send(values, (percent) => setUpload(percent < 100 ? { state: "sending", percent } : { state: "checking" }));
      setUpload({ state: "done", image });
      toast.success(`Imported ${image.name} into the content library`);
    } catch (error) {
      const { field, message } = error as UploadError;
      setUpload({ state: "idle" });
      if (field === "name" || field === "file") form.setError(field, { message: message.replace(/^\w+: /, "") });
      else setFailure(message);
    }
  });

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        if (!next) {
          form.reset();
          setUpload({ state: "idle" });
          setFailure(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <Upload className="size-4" aria-hidden /> Import…
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Import Image</DialogTitle>
          <DialogDescription>
            A qcow2 or raw disk (stored as qcow2) or an ISO, up to {formatLimit(maxUploadBytes)}. Hosts running the Skylight agent fetch it when a VM needs it.
          </DialogDescription>
        </DialogHeader>
        {upload.state === "done" ? (
          <div className="space-y-2 text-sm" role="status">
            <p>
              <span className="font-medium">{upload.image.name}</span> is in the content library ({upload.image.kind === "iso" ? "ISO" : "disk"}).
            </p>
            <p className="text-muted-foreground">SHA-256 of the uploaded file:</p>
            <code className="block font-mono text-xs break-all">{upload.image.sha256}</code>
          </div>
        ) : (
          <form noValidate id="import-image-form" className="space-y-4" onSubmit={submit}>
            {failure && (
              <Alert variant="destructive">
                <AlertDescription>{failure}</AlertDescription>
              </Alert>
            )}
            <FormField label="File" htmlFor="import-file" error={errors.file?.message as string | undefined}>
              <Input id="import-file" type="file" accept=".qcow2,.img,.raw,.iso" aria-invalid={!!errors.file} disabled={busy} {...form.register("file")} />
            </FormField>
            <FormField label="Name" htmlFor="import-name" error={errors.name?.message} description="Lowercase letters, digits, '-' and '.': the VirtualMachineImage's name.">
              <Input id="import-name" autoComplete="off" aria-invalid={!!errors.name} disabled={busy} {...form.register("name")} />
            </FormField>
            <FormField label="Guest OS" htmlFor="import-os" error={errors.os?.message} description="Optional, shown in New Virtual Machine (for example Debian 12).">
              <Input id="import-os" autoComplete="off" disabled={busy} {...form.register("os")} />
            </FormField>
            {busy && (
              <div className="space-y-1" role="status" aria-live="polite">
                <div className="text-sm text-muted-foreground">{upload.state === "sending" ? `Uploading… ${upload.percent}%` : "Checking the image and recording its checksum…"}</div>
                <progress className="h-2 w-full accent-primary" max={100} value={upload.state === "sending" ? upload.percent : undefined} aria-label="Upload progress" />
              </div>
            )}
          </form>
        )}
        <DialogFooter>
          {upload.state === "done" ? (
            <Button type="button" onClick={() => setOpen(false)}>
              Done
            </Button>
          ) : (
            <>
              <Button variant="outline" type="button" disabled={busy} onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" form="import-image-form" disabled={busy}>
                {busy ? "Importing…" : "Import"}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
