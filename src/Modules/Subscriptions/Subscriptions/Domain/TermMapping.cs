using ChaosModular.Catalog.Contracts;

namespace ChaosModular.Subscriptions.Domain;

/// <summary>The catalog's billing term as the subscription's term.</summary>
internal static class TermMapping
{
    public static Term ToTerm(this BillingTerm term) => term == BillingTerm.Annual ? Term.Annual : Term.Monthly;
}
