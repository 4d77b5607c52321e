/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

/**
 * A form as a page shows it again after a refusal: where it was posted, what was typed, and each
 * field's problem. A page shows it in the form posted to `action`; its other forms start afresh.
 */
export interface FormState {
  action: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

const samePath = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');

/** The state of the form that posts to `action`: the refused one if that was it, else a fresh one. */
export const stateFor = (refused: FormState | undefined, action: string): FormState =>
  refused && samePath(refused.action, action) ? refused : { action, values: {}, errors: {} };

/** Whether the form comes back refused (then a checkbox left out was unticked). */
export const posted = (form: FormState) => Object.keys(form.values).length > 0;

/** What was typed into a field, else the value it starts with. */
export function typed(form: FormState, name: string, start = ''): string {
  const v = form.values[name];
  return typeof v === 'string' ? v : start;
}

/** The values ticked of a group of checkboxes, else those it starts with. */
export function ticked(form: FormState, name: string, start: readonly string[]): readonly string[] {
  if (!posted(form)) return start;
  const v = form.values[name];
  return v === undefined ? [] : [v].flat().map(String);
}

/** What an input needs to say it is wrong and where the reason is. */
export const invalid = (form: FormState, name: string, id: string) =>
  form.errors[name] === undefined ? {} : { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` };

/** A field's problem, beside it. */
export const FieldError = ({ form, name, id }: { form: FormState; name: string; id: string }) =>
  form.errors[name] === undefined ? null : (
    <p class="field-error" id={`${id}-error`}>
      {form.errors[name]}
    </p>
  );

type Attributes = Record<string, string | number | boolean | undefined>;

/** A field's frame: its label, its control, a hint, and its problem beside it (marked when refused). */
export function FieldFrame({
  form,
  name,
  id,
  label,
  hint,
  wide,
  children,
}: {
  form: FormState;
  name: string;
  id: string;
  label: string;
  hint?: string | undefined;
  /** The whole width of a form's grid. */
  wide?: boolean;
  children: Child;
}) {
  const classes = ['field', wide ? 'wide' : '', form.errors[name] === undefined ? '' : 'invalid'];
  return (
    <div class={classes.filter(Boolean).join(' ')}>
      <label for={id}>{label}</label>
      {children}
      {hint ? <p class="hint">{hint}</p> : null}
      <FieldError form={form} name={name} id={id} />
    </div>
  );
}

/** What a field is: its form, its name and id, its label. */
interface FieldProps {
  form: FormState;
  name: string;
  id: string;
  label: string;
}

/** A labelled input that keeps what was typed and says why it was refused; `start` is its stored value. */
export function Field(p: FieldProps & { start?: string; hint?: string; attributes?: Attributes }) {
  const { form, name, id } = p;
  return (
    <FieldFrame {...p}>
      <input
        type="text"
        {...p.attributes}
        id={id}
        name={name}
        value={typed(form, name, p.start)}
        {...invalid(form, name, id)}
      />
    </FieldFrame>
  );
}

/** A labelled text area that keeps what was typed and says why it was refused. */
export function TextAreaField(p: FieldProps & { start?: string; hint?: string; attributes?: Attributes }) {
  const { form, name, id } = p;
  return (
    <FieldFrame {...p} wide>
      <textarea {...p.attributes} id={id} name={name} {...invalid(form, name, id)}>
        {typed(form, name, p.start)}
      </textarea>
    </FieldFrame>
  );
}

/** A labelled choice that keeps what was chosen and says why it was refused. */
export function SelectField(
  p: FieldProps & { start: string; options: readonly { value: string; label: string }[] },
) {
  const { form, name, id } = p;
  const chosen = typed(form, name, p.start);
  return (
    <FieldFrame {...p}>
      <select id={id} name={name} {...invalid(form, name, id)}>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === chosen}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
