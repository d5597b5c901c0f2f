using ChaosModular.Accounts.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Remove users › Via .csv: the uploaded file of emails is read and each email looked up (accounts by email in one
/// batch, then their memberships here) so the administrator sees who will be removed, and who will not and why,
/// before confirming. The removal itself is <see cref="RemoveUsers"/>.
/// </summary>
internal sealed class ReviewRemovalCsv(OrganizationsDbContext db, OrganizationAdministrators administrators, IAccountsApi accounts)
{
    public sealed record Row(int Line, string Email, RemovalRowState State, Guid? MembershipId, OrganizationRole? Role);

    public sealed record Review(AdministeredOrganization Organization, IReadOnlyList<Row> Rows)
    {
        public IReadOnlyList<Row> ToRemove => [.. Rows.Where(r => r.State == RemovalRowState.ToRemove)];

        public int Count(RemovalRowState state) => Rows.Count(r => r.State == state);
    }

    public sealed record Result(bool Found, Review? Review, string? Problem);

    public async Task<Result> HandleAsync(string administratorId, byte[] file, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return new Result(false, null, null);
        }
        var (rows, problem) = RemovalCsv.Read(file);
        if (problem is not null)
        {
            return new Result(true, null, problem);
        }
        var emails = rows.Where(r => InviteCsv.IsEmail(r.Email)).Select(r => r.Email).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = (await accounts.FindCustomersByEmailsAsync(emails, cancellationToken))
            .GroupBy(c => c.Email, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().UserId, StringComparer.OrdinalIgnoreCase);
        var accountIds = found.Values.ToList();
        var memberships = (await db.Memberships.AsNoTracking()
                .Where(m => m.OrganizationId == organization.Id && accountIds.Contains(m.AccountId))
                .ToListAsync(cancellationToken))
            .ToDictionary(m => m.AccountId, StringComparer.Ordinal);
        Membership? MembershipOf(string email) =>
            found.TryGetValue(email.Trim(), out var accountId) ? memberships.GetValueOrDefault(accountId) : null;

        var reviewed = RemovalCsv.Review(rows, e => MembershipOf(e)?.Role);
        return new Result(true, new Review(organization, [.. reviewed.Select(r =>
        {
            var membership = r.State is RemovalRowState.ToRemove or RemovalRowState.Administrator ? MembershipOf(r.Row.Email) : null;
            return new Row(r.Row.Line, r.Row.Email, r.State, membership?.Id, membership?.Role);
        })]), null);
    }
}
