using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Licensing;

namespace ChaosModular.UnitTests.Organizations;

/// <summary>An organization as support sets it up, written straight to Organizations' tables (the set-up flow has tests of its own).</summary>
internal static class OrganizationSetUp
{
    /// <summary>An organization for the account, which is its administrator and owns the licenses; returns its id.</summary>
    public static async Task<Guid> ForAsync(PortalFactory factory, ServerAccount admin, string name)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        var organization = Organization.SetUp(admin.UserId, name, "support-test", DateTime.UtcNow);
        db.Organizations.Add(organization);
        db.Memberships.Add(Membership.Join(organization.Id, admin.UserId, admin.Customer.Email, OrganizationRole.Administrator, DateTime.UtcNow));
        await db.SaveChangesAsync();
        return organization.Id;
    }

    /// <summary>The customer joins the organization in the role; returns the membership's id.</summary>
    public static async Task<Guid> JoinAsync(PortalFactory factory, Guid organizationId, BillingCustomer customer, OrganizationRole role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
        var membership = Membership.Join(organizationId, customer.UserId, customer.Email, role, DateTime.UtcNow);
        db.Memberships.Add(membership);
        await db.SaveChangesAsync();
        return membership.Id;
    }
}
