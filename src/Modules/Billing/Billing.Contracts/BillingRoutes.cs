namespace ChaosModular.Billing.Contracts;

/// <summary>
/// Billing's addresses for links from other modules and from emails. The pages' <c>@page</c> templates
/// say the same; a test resolves every route here against the running app, so a renamed page fails it.
/// </summary>
public static class BillingRoutes
{
    public const string Invoices = "/billing";
    public const string Pay = "/billing/pay";
    public const string PaymentMethods = "/billing/payment-methods";
    public const string Information = "/billing/information";

    public static string InvoicePdf(Guid invoiceId) => $"/billing/invoices/{invoiceId}/pdf";

    /// <summary>Payment methods, coming back to <paramref name="returnUrl"/> (a local address) when done.</summary>
    public static string PaymentMethodsReturningTo(string returnUrl) => $"{PaymentMethods}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Billing information, coming back to <paramref name="returnUrl"/> (a local address) when saved.</summary>
    public static string InformationReturningTo(string returnUrl) => $"{Information}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static string PayInvoice(Guid invoiceId) => $"{Pay}?ids={invoiceId}";
}
