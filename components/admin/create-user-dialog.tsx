"use client";
// Administration › Users › Add User: username, display name, role and initial password.
import { zodResolver } from "@hookform/resolvers/zod";
import { UserPlus } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { createUser } from "@/lib/actions/users/create-user";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from "@/lib/auth/roles";
import { createUserInputSchema } from "@/lib/users/user-schemas";
import { ChoiceSelect, choicesOf } from "@/components/ui/choice-select";

type FormValues = z.input<typeof createUserInputSchema>;

export function CreateUserDialog() {
  const [open, setOpen] = useState(false);
  const form = useForm<FormValues>({
    resolver: zodResolver(createUserInputSchema),
    defaultValues: { username: "", name: "", role: "developer", password: "" },
  });
  const { executeAsync, isPending, result, reset } = useAction(createUser);
  const errors = form.formState.errors;
  const selectedRole = useWatch({ control: form.control, name: "role" });
  const serverError = result.serverError;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          form.reset();
          reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlus className="size-4" aria-hidden /> Add User
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add User</DialogTitle>
          <DialogDescription>The user signs in with this username and password.</DialogDescription>
        </DialogHeader>
        <form
          noValidate
          id="create-user-form"
          className="space-y-4"
          onSubmit={form.handleSubmit(async (values) => {
            const outcome = await executeAsync(values);
            if (outcome?.serverError?.field === "username") {
              form.setError("username", { message: outcome.serverError.message });
              return;
            }
            if (outcome?.data !== undefined || (!outcome?.serverError && !outcome?.validationErrors)) {
              toast.success(`User ${values.username} created`);
              setOpen(false);
              form.reset();
            }
          })}
        >
          {serverError && serverError.field !== "username" && (
            <Alert variant="destructive">
              <AlertDescription>{serverError.message}</AlertDescription>
            </Alert>
          )}
          <FormField label="Username" htmlFor="new-username" error={errors.username?.message} description="Lowercase letters, digits, dots, dashes, underscores.">
            <Input id="new-username" autoComplete="off" aria-invalid={!!errors.username} {...form.register("username")} />
          </FormField>
          <FormField label="Display name" htmlFor="new-name" error={errors.name?.message}>
            <Input id="new-name" autoComplete="off" aria-invalid={!!errors.name} {...form.register("name")} />
          </FormField>
          <FormField label="Role" htmlFor="new-role" error={errors.role?.message} description={ROLE_DESCRIPTIONS[selectedRole]}>
            <Controller
              control={form.control}
              name="role"
              render={({ field }) => (
                <ChoiceSelect id="new-role" value={field.value} onValueChange={field.onChange} choices={choicesOf(ROLES, ROLE_LABELS)} className="w-full" />
              )}
            />
          </FormField>
          <FormField label="Password" htmlFor="new-password" error={errors.password?.message} description="At least 8 characters.">
            <Input id="new-password" type="password" autoComplete="new-password" aria-invalid={!!errors.password} {...form.register("password")} />
          </FormField>
        </form>
        <DialogFooter>
          <Button variant="outline" type="button" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" form="create-user-form" disabled={isPending}>
            {isPending ? "Adding…" : "Add User"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
