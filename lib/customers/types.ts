/**
 * The customer port and the customer record (DESIGN.md contract).
 *
 * @module
 */

/** One past order line of a customer. */
export interface Order {
  id: number | string;
  productId: number | string;
  quantity: number;
  total: number;
  date: string;
  name: string;
  unitprice: number;
  category: string;
  brand: string;
  description: string;
}

/** A customer document as stored (one per customer, partition key `/id`). */
export interface Customer {
  id: string;
  firstName: string;
  lastName: string;
  age: number;
  email: string;
  phone: string;
  address: string;
  membership: string;
  orders: Order[];
}

/** Where customers live. An unknown id rejects with `NotFoundError`. */
export interface CustomerStore {
  readonly backend: string;
  get(id: string, options?: { signal?: AbortSignal }): Promise<Customer>;
  list(): Promise<Customer[]>;
  upsert(customers: Customer[]): Promise<number>;
  count(): Promise<number>;
}
