// Tenant "{{tenant}}": order pricing for a storefront plugin.
// Sums the order lines and applies a volume discount.
const TENANT = "{{tenant}}";
const DISCOUNTS = [{ min: 1000, rate: 0.10 }, { min: 250, rate: 0.05 }];
let invocations = 0;

function handle(request) {
  invocations++;
  const items = Array.isArray(request.items) ? request.items : [];
  let subtotal = 0;
  for (const item of items) {
    subtotal += (Number(item.price) || 0) * (Number(item.qty) || 1);
  }
  const tier = DISCOUNTS.find((d) => subtotal >= d.min);
  const discount = tier ? round2(subtotal * tier.rate) : 0;
  return {
    tenant: TENANT,
    orderId: request.orderId ?? null,
    items: items.length,
    subtotal: round2(subtotal),
    discount,
    total: round2(subtotal - discount),
    invocations,
  };
}

function round2(x) {
  return Math.round(x * 100) / 100;
}
