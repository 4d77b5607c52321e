/** Which page of a list, from 1, and how many per page. */
export interface PageRequest {
  page: number;
  per_page: number;
}

/** The `pagination` object of a listed page. */
export const pagination = ({ page, per_page }: PageRequest, total: number) => ({
  page,
  per_page,
  total,
  total_pages: Math.ceil(total / per_page),
});

export const offsetOf = ({ page, per_page }: PageRequest) => (page - 1) * per_page;
