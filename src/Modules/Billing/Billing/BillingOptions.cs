namespace ChaosModular.Billing;

/// <summary>The <c>Billing</c> section.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>Days from issue to due date.</summary>
    public int PaymentTermDays { get; set; } = 14;

    public SellerOptions Seller { get; set; } = new();

    /// <summary>
    /// A VAT rates file (<c>Billing:VatRatesFile</c>, the format of <c>Data/vat-rates.json</c>) read instead of the one shipped in
    /// the module: a rate change can be applied without a new build. Empty: the shipped one.
    /// </summary>
    public string? VatRatesFile { get; set; }

    /// <summary>
    /// How old an unanswered payment must be before <see cref="Jobs.PendingPaymentsJob"/> asks the gateway about it again
    /// (<c>Billing:AskAgainAfter</c>): a younger one may still be in flight in a web request. The end-to-end tests shorten it.
    /// </summary>
    public TimeSpan AskAgainAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether a payment claims its invoices before charging (<see cref="Features.PayInvoices"/>). Internal, so no setting
    /// can turn it off: only the test proving that the payment race tests catch a double charge does.
    /// </summary>
    internal bool ClaimPayments { get; set; } = true;
}

/// <summary>The vendor as printed on every invoice.</summary>
public sealed class SellerOptions
{
    public string Name { get; set; } = "Chaos Software EOOD";
    public string Address { get; set; } = "Alexander Malinov 2, 1729 Sofia";
    public string Country { get; set; } = "BG";
    public string VatId { get; set; } = "BG175255722";
    public string Email { get; set; } = "billing@chaosmodular.local";
}
