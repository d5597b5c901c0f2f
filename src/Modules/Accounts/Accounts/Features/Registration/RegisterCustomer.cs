using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Features.Registration;

/// <summary>
/// Creates a customer with a fresh customer number and publishes <see cref="CustomerRegistered"/>
/// in the same transaction (the welcome email follows from it).
/// </summary>
internal sealed class RegisterCustomer(UserManager<PortalUser> users, AccountsDbContext db, TimeProvider clock)
{
    private const int NumberAttempts = 5;

    public sealed record Command(string Name, string Email, string Password, string Country);

    public sealed record Result(PortalUser? User, IReadOnlyList<string> Errors)
    {
        public bool Succeeded => User is not null;
    }

    /// <summary>Drawn from a source tests can replace to force collisions.</summary>
    internal Random Random { get; set; } = Random.Shared;

    public async Task<Result> HandleAsync(Command command, CancellationToken cancellationToken)
    {
        if (!Countries.IsKnown(command.Country))
        {
            return new Result(null, ["Choose your country from the list."]);
        }
        for (var attempt = 0; attempt < NumberAttempts; attempt++)
        {
            var number = CustomerNumber.Generate(Random);
            if (await db.Users.AnyAsync(u => u.CustomerNumber == number, cancellationToken))
            {
                continue;
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var user = new PortalUser
            {
                UserName = command.Email.Trim(),
                Email = command.Email.Trim(),
                Name = command.Name.Trim(),
                Country = command.Country,
                CustomerNumber = number,
                CreatedUtc = now,
            };
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var created = await users.CreateAsync(user, command.Password);
                if (!created.Succeeded)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return new Result(null, created.Errors.Select(e => e.Description).ToList());
                }
                db.Publish(new CustomerRegistered(Guid.NewGuid(), now, user.Id, user.Email, user.Name, user.CustomerNumber));
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new Result(user, []);
            }
            catch (DbUpdateException)
            {
                // Another registration took the same number (or email) between our check and insert.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (await users.FindByEmailAsync(command.Email) is not null)
                {
                    return new Result(null, [$"An account with the email '{command.Email}' already exists."]);
                }
            }
        }
        throw new InvalidOperationException($"No unused customer number found after {NumberAttempts} attempts.");
    }
}
