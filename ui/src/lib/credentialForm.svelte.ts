// Form state shared by the Add and Rotate dialogs: the values, which fields were
// left once (their errors show from then on), the backend's field errors, and
// the GCP key file loader. Validation is validation.ts's; each dialog says which
// fields it shows. Secrets live only in `form`; `reset()` forgets them.
import { isApiError } from "./api";
import { showToast } from "./toasts.svelte";
import {
  describeFileTooLarge,
  emptyForm,
  firstInvalid,
  formFieldOf,
  MAX_KEY_FILE_BYTES,
  validateForm,
  type FieldName,
  type FormErrors,
  type FormState,
} from "./validation";

const BACKEND_FORM_CODES: ReadonlySet<string> = new Set(["validation", "name_taken"]);

export class CredentialForm {
  form = $state<FormState>(emptyForm());
  touched = $state<Partial<Record<FieldName, true>>>({});
  submitted = $state(false);
  serverErrors = $state<FormErrors>({});
  /** A backend validation error that belongs to no shown field. */
  formError = $state<string | null>(null);
  busy = $state(false);
  /** Name of the key file loaded into service_account_json, for the help line. */
  loadedFile = $state<string | null>(null);

  #fields: (form: FormState) => readonly FieldName[];
  #taken: () => ReadonlySet<string>;

  localErrors = $derived.by(() => validateForm(this.form, this.#taken(), this.#fields(this.form)));

  /**
   * @param fields the fields the dialog shows for the form's provider, in tab order
   * @param taken names already in use (normalised), for the name check
   */
  constructor(fields: (form: FormState) => readonly FieldName[], taken: () => ReadonlySet<string>) {
    this.#fields = fields;
    this.#taken = taken;
  }

  /** The message under a field: the backend's, else the local one once left or submitted. */
  errorFor(field: FieldName): string | undefined {
    return (
      this.serverErrors[field] ??
      (this.touched[field] || this.submitted ? this.localErrors[field] : undefined)
    );
  }

  /** Forgets every value (secrets included) and every error. */
  reset(initial: FormState = emptyForm()): void {
    this.form = initial;
    this.touched = {};
    this.serverErrors = {};
    this.submitted = false;
    this.formError = null;
    this.loadedFile = null;
  }

  /** Sets values the admin has not typed into yet (e.g. prefill that arrives late). */
  prefill(values: Partial<FormState>): void {
    for (const [key, value] of Object.entries(values) as [FieldName, string][]) {
      if (key in this.form && !this.touched[key] && (this.form as Record<string, unknown>)[key] === "")
        (this.form as Record<string, unknown>)[key] = value;
    }
  }

  #fieldOf(target: EventTarget | null): FieldName | null {
    const name = target instanceof HTMLElement ? target.getAttribute("name") : null;
    return name ? formFieldOf(name, this.form.provider) : null;
  }

  #clearServerError(field: FieldName): void {
    if (this.serverErrors[field] === undefined) return;
    const { [field]: _, ...rest } = this.serverErrors;
    this.serverErrors = rest;
  }

  /** The form's `oninput`: typing clears that field's backend error. */
  onInput = (e: Event): void => {
    const f = this.#fieldOf(e.target);
    if (f) this.#clearServerError(f);
    this.formError = null;
  };

  /** The form's `onfocusout`: a field left once shows its errors from then on. */
  onFocusOut = (e: FocusEvent): void => {
    const f = this.#fieldOf(e.target);
    if (f && !this.touched[f]) this.touched = { ...this.touched, [f]: true };
  };

  /** Marks the form submitted and returns the first field with an error, if any. */
  firstInvalid(): FieldName | null {
    this.submitted = true;
    return firstInvalid(this.form, validateForm(this.form, this.#taken(), this.#fields(this.form)), this.#fields(this.form));
  }

  /**
   * Shows a rejected command's error where it belongs: under its field, at the top of the
   * form, or as a toast. Returns the field to focus, if any.
   */
  showError(err: unknown, fallback: string): FieldName | null {
    if (!isApiError(err)) {
      showToast("error", fallback);
      return null;
    }
    if (!BACKEND_FORM_CODES.has(err.code)) {
      showToast("error", err.message);
      return null;
    }
    const field = formFieldOf(err.field, this.form.provider);
    if (field && this.#fields(this.form).includes(field)) {
      this.serverErrors = { ...this.serverErrors, [field]: err.message };
      return field;
    }
    this.formError = err.message;
    return null;
  }

  /** Reads a chosen service account key file into the form (size-capped, never echoed). */
  loadKeyFile(file: File): void {
    if (file.size > MAX_KEY_FILE_BYTES) {
      this.serverErrors = { ...this.serverErrors, service_account_json: describeFileTooLarge(file.size) };
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      this.form.service_account_json = typeof reader.result === "string" ? reader.result : "";
      this.touched = { ...this.touched, service_account_json: true };
      this.#clearServerError("service_account_json");
      this.loadedFile = file.name;
    };
    reader.onerror = () => {
      this.serverErrors = {
        ...this.serverErrors,
        service_account_json:
          "Could not read that file; check that it is readable, or paste its contents.",
      };
    };
    reader.readAsText(file);
  }
}
