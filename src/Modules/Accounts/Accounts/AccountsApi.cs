
namespace ChaosModular.Accounts;

internal sealed class AccountsApi(AccountsDbContext db) : IAccountsApi
{
    public Task<CustomerSummary?> FindCustomerAsync(string userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new CustomerSummary(u.Id, u.CustomerNumber, u.Name, u.Email!, u.Country) { EmailConfirmed = u.EmailConfirmed })
            .SingleOrDefaultAsync(cancellationToken);

    public Task<CustomerSummary?> FindCustomerByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToUpperInvariant();
        return db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail == normalized)
            .Select(u => new CustomerSummary(u.Id, u.CustomerNumber, u.Name, u.Email!, u.Country) { EmailConfirmed = u.EmailConfirmed })
            .SingleOrDefaultAsync(cancellationToken);
    }

    public Task<CustomerSummary?> FindCustomerByNumberAsync(string customerNumber, CancellationToken cancellationToken)
    {
        var number = customerNumber.Trim();
        return db.Users.AsNoTracking()
            .Where(u => u.CustomerNumber == number)
            .Select(u => new CustomerSummary(u.Id, u.CustomerNumber, u.Name, u.Email!, u.Country) { EmailConfirmed = u.EmailConfirmed })
            .SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CustomerSummary>> FindCustomersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return [];
        }
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        return await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id))
            .Select(u => new CustomerSummary(u.Id, u.CustomerNumber, u.Name, u.Email!, u.Country) { EmailConfirmed = u.EmailConfirmed })
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CustomerSummary>> FindCustomersByEmailsAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        var found = new List<CustomerSummary>();
        foreach (var chunk in emails.Select(e => e.Trim().ToUpperInvariant()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).Chunk(1000))
        {
            found.AddRange(await db.Users.AsNoTracking()
                .Where(u => chunk.Contains(u.NormalizedEmail!))
                .Select(u => new CustomerSummary(u.Id, u.CustomerNumber, u.Name, u.Email!, u.Country) { EmailConfirmed = u.EmailConfirmed })
                .ToListAsync(cancellationToken));
        }
        return found;
    }
}
