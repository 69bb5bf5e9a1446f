"use client";
// Administration › Users › Reset Password: sets a new password the user signs in with, and signs
// them out everywhere (sessions and API tokens).
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { resetUserPassword } from "@/lib/actions/users/reset-user-password";
import { passwordSchema } from "@/lib/users/user-schemas";

const formSchema = z.object({ password: passwordSchema });

export function ResetPasswordDialog({ user, onClose }: { user: { id: string; username: string } | null; onClose: () => void }) {
  const form = useForm<z.infer<typeof formSchema>>({ resolver: zodResolver(formSchema), defaultValues: { password: "" } });
  const { executeAsync, isPending, result, reset } = useAction(resetUserPassword);
  const close = () => {
    form.reset();
    reset();
    onClose();
  };

  return (
    <Dialog open={user !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Reset password for {user?.username}</DialogTitle>
          <DialogDescription>
            This signs {user?.username} out everywhere: their console sessions end and their API tokens (and so their kubeconfigs) are revoked. They
            sign in again with the new password.
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          id="reset-password-form"
          className="space-y-4"
          onSubmit={form.handleSubmit(async ({ password }) => {
            if (!user) return;
            const outcome = await executeAsync({ userId: user.id, password });
            if (!outcome?.serverError && !outcome?.validationErrors) {
              toast.success(`Password reset for ${user.username}`);
              close();
            }
          })}
        >
          {result.serverError && (
            <Alert variant="destructive">
              <AlertDescription>{result.serverError.message}</AlertDescription>
            </Alert>
          )}
          <FormField label="New password" htmlFor="reset-password" error={form.formState.errors.password?.message} description="At least 8 characters.">
            <Input id="reset-password" type="password" autoComplete="new-password" {...form.register("password")} />
          </FormField>
        </form>
        <DialogFooter>
          <Button variant="outline" type="button" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form="reset-password-form" disabled={isPending}>
            {isPending ? "Resetting…" : "Reset Password"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
