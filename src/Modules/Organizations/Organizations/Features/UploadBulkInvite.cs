using ChaosModular.Accounts.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// An administrator uploads a bulk-invite file: it is read (<see cref="InviteCsv"/>), every valid email is looked up
/// in Accounts and in the memberships and open invitations in batches, and the file is stored with one row per line
/// and its state, ready for review. Nothing is sent yet. A file refused whole stores nothing.
/// </summary>
internal sealed class UploadBulkInvite(OrganizationsDbContext db, OrganizationAdministrators administrators, IAccountsApi accounts, TimeProvider clock)
{
    /// <summary>Rows looked up in one query.</summary>
    private const int Batch = 2000;

    public sealed record Result(bool Found, Guid? BulkInviteId, string? Problem);

    public async Task<Result> HandleAsync(string administratorId, string fileName, byte[] file, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return new Result(false, null, null);
        }
        var (rows, problem) = InviteCsv.Read(file);
        if (problem is not null)
        {
            return new Result(true, null, problem);
        }
        if (rows.Count == 0)
        {
            return new Result(true, null, "The file has the header but no rows: add one email,role row per person.");
        }
        var now = clock.UtcNow();

        var emails = rows.Where(r => InviteCsv.IsEmail(r.Email)).Select(r => r.Email).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = await accounts.FindCustomersByEmailsAsync(emails, cancellationToken);
        var registered = found
            .GroupBy(c => c.Email, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().UserId, StringComparer.OrdinalIgnoreCase);
        var unconfirmed = found.Where(c => !c.EmailConfirmed).Select(c => c.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var accountIds = registered.Values.Distinct(StringComparer.Ordinal).ToList();
        var organizationOf = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var invited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in accountIds.Chunk(Batch))
        {
            foreach (var m in await db.Memberships.AsNoTracking().Where(m => chunk.Contains(m.AccountId))
                         .Select(m => new { m.AccountId, m.OrganizationId }).ToListAsync(cancellationToken))
            {
                organizationOf[m.AccountId] = m.OrganizationId;
            }
            invited.UnionWith(await db.Invitations.AsNoTracking()
                .Where(i => i.OrganizationId == organization.Id && i.Status == InvitationStatus.Pending && i.ExpiresUtc > now && chunk.Contains(i.AccountId))
                .Select(i => i.AccountId).ToListAsync(cancellationToken));
        }

        string? AccountOf(string email) => registered.GetValueOrDefault(email.Trim());
        bool InOrganization(string email) => AccountOf(email) is { } id && (invited.Contains(id) || (organizationOf.TryGetValue(id, out var o) && o == organization.Id));
        bool InAnother(string email) => AccountOf(email) is { } id && organizationOf.TryGetValue(id, out var o) && o != organization.Id;

        var reviewed = InviteCsv.Review(rows, e => AccountOf(e) is not null, e => !unconfirmed.Contains(e.Trim()), InOrganization, InAnother);
        var administratorEmail = (await accounts.FindCustomerAsync(administratorId, cancellationToken))?.Email ?? "";
        var bulk = BulkInvite.Upload(organization.Id, administratorId, administratorEmail, fileName, rows.Count, now);
        var stored = reviewed.Select(r => BulkInviteRow.Read(bulk.Id, r.Row, r.State,
            AccountOf(r.Row.Email), InOrganization(r.Row.Email), InAnother(r.Row.Email))).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.BulkInvites.Add(bulk);
        await db.SaveChangesAsync(cancellationToken);
        await db.InsertRowsAsync(stored, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Result(true, bulk.Id, null);
    }
}
