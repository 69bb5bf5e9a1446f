// kube's CEL list library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted, sum, min, max,
// indexOf and lastIndexOf on lists of comparable values. Each call is charged one step per
// element to the caller's budget, as a loop over the list would be.
import { celMethod, CelScalar, listType, type CelFunc, type CelList } from "@bufbuild/cel";

type Comparable = bigint | number | string | boolean;

const LIST = listType(CelScalar.DYN);

const comparable = (value: unknown): value is Comparable => ["bigint", "number", "string", "boolean"].includes(typeof value);

function elements(list: CelList, charge: (steps: number) => void): Comparable[] {
  charge(list.size);
  const values = [...list] as unknown[];
  if (!values.every(comparable)) throw new Error("list elements must be comparable");
  return values;
}

function extreme(list: CelList, charge: (steps: number) => void, name: string, better: (a: Comparable, b: Comparable) => boolean): Comparable {
  const values = elements(list, charge);
  if (values.length === 0) throw new Error(`${name} called on empty list`);
  return values.reduce((best, value) => (better(value, best) ? value : best));
}

/** The library's functions, charging `charge(steps)` for the elements each call reads. */
export function kubeListFunctions(charge: (steps: number) => void): CelFunc[] {
  return [
    celMethod("isSorted", LIST, [], CelScalar.BOOL, function () {
      const values = elements(this, charge);
      return values.every((value, index) => index === 0 || (values[index - 1] as Comparable) <= value);
    }),
    celMethod("sum", LIST, [], CelScalar.DYN, function () {
      const values = elements(this, charge);
      if (values.some((value) => typeof value === "number")) return values.reduce<number>((total, value) => total + Number(value), 0);
      return values.reduce<bigint>((total, value) => total + (value as bigint), 0n);
    }),
    celMethod("min", LIST, [], CelScalar.DYN, function () {
      return extreme(this, charge, "min", (a, b) => a < b);
    }),
    celMethod("max", LIST, [], CelScalar.DYN, function () {
      return extreme(this, charge, "max", (a, b) => a > b);
    }),
    celMethod("indexOf", LIST, [CelScalar.DYN], CelScalar.INT, function (element) {
      return BigInt(elements(this, charge).indexOf(element as Comparable));
    }),
    celMethod("lastIndexOf", LIST, [CelScalar.DYN], CelScalar.INT, function (element) {
      return BigInt(elements(this, charge).lastIndexOf(element as Comparable));
    }),
  ];
}
