/** One line of `modelbox-dev doctor`: what was checked, what was found, what to do. */
export interface DoctorCheck {
  id: string;
  status: "pass" | "warn" | "fail";
  /** What is checked, e.g. "NVIDIA driver". */
  title: string;
  /** What was found, in plain words. */
  found: string;
  /** What to do about it (warn/fail), as a command where there is one. */
  fix?: string;
}

export const pass = (id: string, title: string, found: string): DoctorCheck => ({
  id,
  status: "pass",
  title,
  found,
});
export const warn = (id: string, title: string, found: string, fix?: string): DoctorCheck => ({
  id,
  status: "warn",
  title,
  found,
  ...(fix ? { fix } : {}),
});
export const fail = (id: string, title: string, found: string, fix: string): DoctorCheck => ({
  id,
  status: "fail",
  title,
  found,
  fix,
});
