using ChaosModular.Accounts.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Licensing.Signing;
using Microsoft.Extensions.Options;

namespace ChaosModular.Licensing.Features;

/// <summary>
/// Borrows seats of a floating workstation license for one machine's offline use until a return date: takes the seats
/// (counted as borrowed, so no server can lease them), records the borrow and signs its borrow file, all or nothing.
/// The return date is at most the product's maximum borrow period away and never after the license's last day.
/// </summary>
internal sealed class BorrowSeats(LicensingDbContext db, SeatLedger ledger, SigningKeyRing keys, IAccountsApi accounts, ICatalogApi catalog,
    IOptions<LicensingOptions> options, TimeProvider clock)
{
    public const int MaxMachineLength = 100;
    public const int MaxSeats = 1000;

    /// <summary>A license the customer can borrow from, with the last return date it allows.</summary>
    public sealed record Choice(Guid LicenseId, string ProductName, int Quantity, int Free, DateOnly ExpiresOn, int MaxBorrowDays, DateOnly LastReturnDate);

    public sealed record Form(IReadOnlyList<Choice> Licenses, DateOnly FirstReturnDate);

    /// <param name="Machine">The machine's name or host fingerprint; the borrow file is bound to it.</param>
    public sealed record Command(Guid? LicenseId, int Seats, string? Machine, DateOnly? ReturnOn);

    /// <param name="Problems">By the <see cref="Command"/> member they are about; empty when the seats were borrowed.</param>
    public sealed record Result(Guid? BorrowId, IReadOnlyDictionary<string, string> Problems)
    {
        public static Result Refused(string member, string problem) => new(null, new Dictionary<string, string> { [member] = problem });
    }

    /// <summary>The account's active floating workstation licenses that can still be borrowed from (their last day is after today).</summary>
    public async Task<Form> FormAsync(string customerId, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var licenses = await db.Licenses.AsNoTracking()
            .Where(l => l.CustomerId == customerId && l.State == LicenseState.Active && l.ExpiresOn > today)
            .OrderBy(l => l.ProductCode).ThenBy(l => l.ExpiresOn).ToListAsync(cancellationToken);
        var choices = new List<Choice>();
        foreach (var license in licenses.Where(l => l.CanBeBorrowed))
        {
            var product = await catalog.ProductAsync(license.ProductCode, cancellationToken);
            choices.Add(ChoiceOf(license, product, today));
        }
        return new Form(choices, today.AddDays(1));
    }

    public async Task<Result> HandleAsync(string customerId, Command command, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var problems = new Dictionary<string, string>();
        var license = command.LicenseId is { } licenseId
            ? await db.Licenses.AsNoTracking().SingleOrDefaultAsync(l => l.Id == licenseId && l.CustomerId == customerId, cancellationToken)
            : null;
        var product = license is null ? null : await catalog.ProductAsync(license.ProductCode, cancellationToken);
        var productName = product?.Name ?? license?.ProductCode ?? "";
        Choice? choice = null;
        if (license is null)
        {
            problems[nameof(Command.LicenseId)] = "Choose one of your floating workstation licenses.";
        }
        else if (license.State != LicenseState.Active || license.ExpiresOn <= today)
        {
            problems[nameof(Command.LicenseId)] = $"Your {productName} license has expired or ends today: its seats cannot be borrowed.";
        }
        else if (!license.CanBeBorrowed)
        {
            problems[nameof(Command.LicenseId)] = $"{productName} is a {LicenseTypes.Label(license.LicenseType).ToLowerInvariant()} license: only floating workstation seats can be borrowed.";
        }
        else
        {
            choice = ChoiceOf(license, product, today);
        }
        if (command.Seats is < 1 or > MaxSeats)
        {
            problems[nameof(Command.Seats)] = $"Borrow 1–{MaxSeats} seats.";
        }
        var machine = command.Machine?.Trim() ?? "";
        if (machine.Length == 0)
        {
            problems[nameof(Command.Machine)] = "Name the machine that borrows the seats (its name or host fingerprint).";
        }
        else if (machine.Length > MaxMachineLength)
        {
            problems[nameof(Command.Machine)] = $"The machine's name is at most {MaxMachineLength} characters.";
        }
        if (command.ReturnOn is not { } returnOn)
        {
            problems[nameof(Command.ReturnOn)] = "Choose the date the seats come back.";
        }
        else if (returnOn <= today)
        {
            problems[nameof(Command.ReturnOn)] = $"The return date must be tomorrow ({today.AddDays(1):yyyy-MM-dd}) or later.";
        }
        else if (choice is not null && returnOn > choice.LastReturnDate)
        {
            problems[nameof(Command.ReturnOn)] = choice.LastReturnDate == choice.ExpiresOn
                ? $"The license ends on {choice.ExpiresOn:yyyy-MM-dd}: return the seats by then."
                : $"{choice.ProductName} seats can be borrowed for at most {choice.MaxBorrowDays} days: return them by {choice.LastReturnDate:yyyy-MM-dd} at the latest.";
        }
        if (problems.Count > 0)
        {
            return new Result(null, problems);
        }

        var account = await accounts.FindCustomerAsync(customerId, cancellationToken)
            ?? throw new InvalidOperationException("The signed-in customer has no account.");
        var key = keys.Active;
        var now = Truncate(clock.UtcNow());
        var returnBy = command.ReturnOn!.Value.ToDateTime(new TimeOnly(23, 59, 59), DateTimeKind.Utc);
        var borrowId = await ledger.InTransactionAsync(async ct =>
        {
            if (!await ledger.TryTakeAsync(license!.Id, command.Seats, SeatUse.Borrow, ct))
            {
                return (Guid?)null;
            }
            var borrow = Borrow.Take(license.Id, customerId, command.Seats, machine, now, returnBy);
            borrow.Sign(SignedFiles.Sign(SignedFiles.BorrowFormat, new BorrowPayload(account.CustomerNumber, borrow.Id, license.Id, license.ProductCode, productName,
                command.Seats, machine, now, returnBy), key));
            db.Borrows.Add(borrow);
            await db.SaveChangesAsync(ct);
            return borrow.Id;
        }, cancellationToken);
        return borrowId is { } id ? new Result(id, new Dictionary<string, string>()) : Result.Refused(nameof(Command.Seats), await NoSeatsFreeAsync(license!.Id, command.Seats, cancellationToken));
    }

    private async Task<string> NoSeatsFreeAsync(Guid licenseId, int seats, CancellationToken cancellationToken)
    {
        var counts = await db.Licenses.AsNoTracking().Where(l => l.Id == licenseId).Select(l => new { l.Quantity, l.InUse, l.Borrowed, l.Allocated }).SingleAsync(cancellationToken);
        var availability = new Availability(counts.Quantity, counts.InUse, counts.Borrowed, counts.Allocated);
        return $"No seats free for {seats} more: {availability.Available} of the license's {availability.Quantity} are free "
            + $"({availability.InUse} in use, {availability.Borrowed} borrowed, {availability.Allocated} allocated). Nothing was borrowed: free seats or borrow fewer.";
    }

    private Choice ChoiceOf(License license, ProductSummary? product, DateOnly today)
    {
        var maxDays = product is { MaxBorrowDays: > 0 } ? product.MaxBorrowDays : options.Value.DefaultMaxBorrowDays;
        var last = today.AddDays(maxDays);
        return new Choice(license.Id, product?.Name ?? license.ProductCode, license.Quantity, license.Availability.Available, license.ExpiresOn, maxDays,
            last < license.ExpiresOn ? last : license.ExpiresOn);
    }

    private static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
