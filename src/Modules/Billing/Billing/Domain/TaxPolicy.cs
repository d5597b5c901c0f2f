using System.Globalization;

namespace ChaosModular.Billing.Domain;

internal enum VatTreatment
{
    /// <summary>The customer is in the seller's country: its rate, VAT ID or not.</summary>
    Domestic,

    /// <summary>A consumer in another member state: that state's rate (digital services to consumers, OSS).</summary>
    DestinationRate,

    /// <summary>A business in another member state with its VAT ID: 0 %, the customer accounts for the VAT.</summary>
    ReverseCharge,

    /// <summary>A customer outside the EU: no EU VAT.</summary>
    OutsideEu,
}

/// <summary>
/// VAT on an invoice, decided from the seller's country and the billing information at issue, at the rates in effect on the
/// issue day (<see cref="VatRates"/>): same country as the seller: that country's rate; another EU country with a valid VAT ID:
/// reverse charge (0 %, the customer accounts for VAT); another EU country without one: the customer country's rate; outside
/// the EU: no VAT.
/// </summary>
internal static class TaxPolicy
{
    public sealed record Decision(decimal RatePercent, VatTreatment Treatment);

    public static Decision For(VatRates rates, string sellerCountry, string customerCountry, string? customerVatId, DateOnly issuedOn)
    {
        if (!rates.IsMemberState(customerCountry))
        {
            return new Decision(0m, VatTreatment.OutsideEu);
        }
        if (customerCountry == sellerCountry)
        {
            return new Decision(rates.RateOn(customerCountry, issuedOn), VatTreatment.Domestic);
        }
        return IsEuBusiness(customerCountry, customerVatId)
            ? new Decision(0m, VatTreatment.ReverseCharge)
            : new Decision(rates.RateOn(customerCountry, issuedOn), VatTreatment.DestinationRate);
    }

    /// <summary>
    /// The VAT row of an issued invoice, read from what it stored (its rate and the billing information it was issued to), so
    /// its PDF reads the same however the rates or the settings change later. A customer outside the EU is never labelled
    /// reverse charge, even with a (local) tax ID.
    /// </summary>
    public static string Label(decimal ratePercent, BillingSnapshot billTo, string sellerCountry)
    {
        var rate = ratePercent.ToString("0.##", CultureInfo.InvariantCulture);
        if (ratePercent > 0)
        {
            return billTo.Country == sellerCountry ? $"VAT {rate} %" : $"VAT {rate} % ({billTo.Country})";
        }
        return IsEuBusiness(billTo.Country, billTo.VatId) ? "VAT 0 % (reverse charge)" : "VAT 0 % (outside the scope of EU VAT)";
    }

    /// <summary>The note an invoice with reverse charge must carry (VAT Directive 2006/112/EC, art. 226(11a)); null otherwise.</summary>
    public static string? Note(decimal ratePercent, BillingSnapshot billTo) =>
        ratePercent == 0 && IsEuBusiness(billTo.Country, billTo.VatId) ? "Reverse charge: VAT to be accounted for by the recipient." : null;

    /// <summary>A VAT ID valid for the customer's EU country: Greece's start with EL, not GR (<see cref="VatId"/>).</summary>
    private static bool IsEuBusiness(string country, string? vatId) =>
        VatId.IsEuCountry(country) && !string.IsNullOrWhiteSpace(vatId) && VatId.Validate(vatId, country) is null;
}
