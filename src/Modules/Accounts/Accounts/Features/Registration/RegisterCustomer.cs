using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Features.Registration;

/// <summary>
/// Creates a customer with a fresh customer number and publishes <see cref="CustomerRegistered"/> (the welcome email) and
/// <see cref="EmailConfirmationRequested"/> (the confirmation link) in the same transaction. An address that already has an
/// account is not refused: its owner gets a notice (<see cref="SignUpWithTakenEmail"/>) and the caller answers as for a new
/// account, so sign-up cannot be used to find out who has one. The password is checked first for the same reason.
/// </summary>
internal sealed class RegisterCustomer(UserManager<PortalUser> users, AccountsDbContext db, TimeProvider clock)
{
    private const int NumberAttempts = 5;

    /// <param name="EmailConfirmed">True only for users the seeders make (their addresses are ours): no confirmation link.</param>
    public sealed record Command(string Name, string Email, string Password, string Country, bool EmailConfirmed = false);

    /// <param name="TakenEmailNotified">The address had an account: nothing was created and its owner was sent a notice.</param>
    public sealed record Result(PortalUser? User, IReadOnlyList<string> Errors, bool TakenEmailNotified = false)
    {
        public bool Succeeded => User is not null;

        /// <summary>What the customer is told: "check your inbox", the same whether the address was new or taken.</summary>
        public bool Accepted => Succeeded || TakenEmailNotified;
    }

    /// <summary>Drawn from a source tests can replace to force collisions.</summary>
    internal Random Random { get; set; } = Random.Shared;

    public async Task<Result> HandleAsync(Command command, CancellationToken cancellationToken)
    {
        if (!Countries.IsKnown(command.Country))
        {
            return new Result(null, ["Choose your country from the list."]);
        }
        var passwordErrors = await PasswordErrorsAsync(command);
        if (passwordErrors.Count > 0)
        {
            return new Result(null, passwordErrors);
        }
        if (await NotifyOwnerOfTakenEmailAsync(command.Email, cancellationToken))
        {
            return new Result(null, [], TakenEmailNotified: true);
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
                EmailConfirmed = command.EmailConfirmed,
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
                if (!user.EmailConfirmed)
                {
                    await EmailConfirmationTokens.PublishAsync(users, db, user, now);
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new Result(user, []);
            }
            catch (DbUpdateException)
            {
                // Another registration took the same number (or email) between our check and insert.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (await NotifyOwnerOfTakenEmailAsync(command.Email, cancellationToken))
                {
                    return new Result(null, [], TakenEmailNotified: true);
                }
            }
        }
        throw new InvalidOperationException($"No unused customer number found after {NumberAttempts} attempts.");
    }

    private async Task<IReadOnlyList<string>> PasswordErrorsAsync(Command command)
    {
        var candidate = new PortalUser { UserName = command.Email.Trim(), Email = command.Email.Trim(), Name = command.Name.Trim() };
        var errors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, candidate, command.Password);
            errors.AddRange(result.Errors.Select(e => e.Description));
        }
        return errors;
    }

    private async Task<bool> NotifyOwnerOfTakenEmailAsync(string email, CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(email.Trim()) is not { } owner)
        {
            return false;
        }
        db.Publish(new SignUpWithTakenEmail(Guid.NewGuid(), clock.GetUtcNow().UtcDateTime, owner.Id, owner.Email!, owner.Name));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
