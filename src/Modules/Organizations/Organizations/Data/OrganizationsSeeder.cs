using ChaosModular.Accounts.Contracts;
using ChaosModular.CloudCredits.Contracts;
using ChaosModular.Licensing.Contracts;
using Microsoft.Extensions.Configuration;

namespace ChaosModular.Organizations.Data;

/// <summary>
/// With <c>Seed:Demo</c>: support's set-up of "Demo Studio" with the demo customer as its administrator, through the
/// same handler the Support page uses, then its people: the demo member (who signs in), two more members, two guests
/// (joined as if they had accepted their invitations) and one invitation still open; the demo member gets 150 of the
/// organization's cloud credits and the first guest an unlimited allocation; the demo member and the first other member
/// get a license seat each; a bulk invite from a small file has run to the end (one invited, three rows not sent).
/// Each step runs only if missing, through the same handlers the pages use.
/// </summary>
internal sealed class OrganizationsSeeder(
    OrganizationsDbContext db, SetUpOrganization setUp, InviteUser invite, AllocateCredits allocateCredits, ICloudCreditsApi credits,
    AllocateLicenses allocateLicenses, ILicenseAllocationsApi licenseAllocations, OrganizationAdministrators administrators,
    UploadBulkInvite upload, SendBulkInvite send, RunBulkInvite run,
    OrganizationAudit audit, IAccountsApi accounts, IConfiguration configuration, TimeProvider clock)
    : IModuleSeeder
{
    public const string DemoOrganization = "Demo Studio";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue<bool>("Seed:Demo"))
        {
            return;
        }
        var customer = await accounts.FindCustomerByEmailAsync(configuration["Seed:DemoCustomerEmail"] ?? "demo@chaosmodular.local", cancellationToken);
        if (customer is null)
        {
            return;
        }
        if (!await db.Organizations.AnyAsync(o => o.Name == DemoOrganization, cancellationToken)
            && !await db.Memberships.AnyAsync(m => m.AccountId == customer.UserId, cancellationToken))
        {
            await setUp.HandleAsync(customer.UserId, DemoOrganization, "seed", cancellationToken);
        }
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Name == DemoOrganization && o.AccountId == customer.UserId, cancellationToken);
        if (organization is null)
        {
            return;
        }
        var people = new List<(string Email, OrganizationRole Role)> { (configuration["Seed:DemoMemberEmail"] ?? DemoPeople.MemberEmail, OrganizationRole.Member) };
        people.AddRange(DemoPeople.Members.Select(p => (p.Email, OrganizationRole.Member)));
        people.AddRange(DemoPeople.Guests.Select(p => (p.Email, OrganizationRole.Guest)));
        foreach (var (email, role) in people)
        {
            await JoinAsync(organization.Id, email, role, cancellationToken);
        }
        await AllocateCreditsAsync(organization.Id, customer.UserId, people[0].Email, 150m, cancellationToken);
        await AllocateCreditsAsync(organization.Id, customer.UserId, DemoPeople.Guests[0].Email, null, cancellationToken);
        await AllocateLicensesAsync(customer.UserId, [people[0].Email, DemoPeople.Members[0].Email], cancellationToken);
        await BulkInviteAsync(organization.Id, customer.UserId, cancellationToken);
        var invited = await accounts.FindCustomerByEmailAsync(DemoPeople.Invited.Email, cancellationToken);
        if (invited is not null && !await db.Invitations.AnyAsync(i => i.AccountId == invited.UserId, cancellationToken))
        {
            await invite.HandleAsync(customer.UserId, invited.Email, OrganizationRole.Guest, cancellationToken);
        }
    }

    private async Task AllocateLicensesAsync(string administratorId, IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return;
        }
        var holders = await db.Memberships.AsNoTracking().Where(m => m.OrganizationId == organization.Id && emails.Contains(m.Email))
            .Select(m => new { m.Id, m.AccountId }).ToListAsync(cancellationToken);
        if (holders.Count == 0 || (await licenseAllocations.AllocationsOfAsync(organization.AccountId, [.. holders.Select(h => h.AccountId)], cancellationToken)).Count > 0)
        {
            return;
        }
        var product = (await allocateLicenses.ProductsAsync(organization, cancellationToken))
            .Where(p => p.Free >= holders.Count).OrderByDescending(p => p.Free).FirstOrDefault();
        if (product is null)
        {
            return;
        }
        await allocateLicenses.HandleAsync(administratorId,
            new AllocateLicenses.Command([.. holders.Select(h => h.Id)], new Dictionary<string, int> { [product.Code] = 1 }, product.LastDay), cancellationToken);
    }

    private async Task BulkInviteAsync(Guid organizationId, string administratorId, CancellationToken cancellationToken)
    {
        if (await db.BulkInvites.AnyAsync(b => b.OrganizationId == organizationId, cancellationToken))
        {
            return;
        }
        var file = System.Text.Encoding.UTF8.GetBytes(
            $"email,role\n{DemoPeople.BulkInvited.Email},Member\n{DemoPeople.Members[0].Email},Member\nnobody@chaosmodular.invalid,Guest\nnot-an-email,Member\n");
        if (await upload.HandleAsync(administratorId, "new-starters.csv", file, cancellationToken) is { BulkInviteId: { } id }
            && await send.HandleAsync(administratorId, id, cancellationToken) == SendBulkInvite.Outcome.Started)
        {
            // Run here so the demo opens on a finished job; the queued job then finds nothing left to send.
            await run.HandleAsync(id, cancellationToken);
        }
    }

    private async Task AllocateCreditsAsync(Guid organizationId, string administratorId, string email, decimal? limit, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.Email == email, cancellationToken);
        if (membership is null || (await credits.AllocationsAsync(organizationId, [membership.AccountId], cancellationToken)).Count > 0)
        {
            return;
        }
        await allocateCredits.AllocateAsync(administratorId, [membership.Id], limit, cancellationToken);
    }

    private async Task JoinAsync(Guid organizationId, string email, OrganizationRole role, CancellationToken cancellationToken)
    {
        if (await accounts.FindCustomerByEmailAsync(email, cancellationToken) is not { } person
            || await db.Memberships.AnyAsync(m => m.AccountId == person.UserId, cancellationToken))
        {
            return;
        }
        db.Memberships.Add(Membership.Join(organizationId, person.UserId, person.Email, role, clock.UtcNow()));
        audit.Record(organizationId, AuditAction.InvitationAccepted, [person.Email], after: role.ToString());
        await db.SaveChangesAsync(cancellationToken);
    }
}
