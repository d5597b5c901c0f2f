using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Issues invoices at the customers' billing information as it is now, numbered INV-yyyy-nnnnnn
/// without gaps or duplicates (the year's counter is bumped in the invoices' own transaction).
/// A batch (the renewal drain's) is one transaction and one bump of the counter by the number of new invoices.
/// </summary>
internal sealed class IssueInvoice(BillingDbContext db, IOptions<BillingOptions> options, VatRates vatRates, TimeProvider clock)
{
    private const int Attempts = 10;

    public sealed class MissingBillingInformationException() : InvalidOperationException("Add your billing information before buying.");

    /// <summary>The invoice issued (or issued earlier for the same source), or why this request could not be issued.</summary>
    public sealed record Issued(Invoice? Invoice, Exception? Error);

    public async Task<Invoice> HandleAsync(CreateInvoice request, CancellationToken cancellationToken, DateTime? issuedUtc = null)
    {
        var issued = (await HandleManyAsync([request], cancellationToken, issuedUtc)).Single();
        if (issued.Error is not null)
        {
            ExceptionDispatchInfo.Throw(issued.Error);
        }
        return issued.Invoice!;
    }

    /// <summary>
    /// Issues the requests in one transaction, their numbers consecutive in input order; answers in input order. A request whose
    /// source was issued before (or earlier in this batch) gets that invoice; one that cannot be issued (no billing information,
    /// no line) gets its error and takes no number, and the others are issued.
    /// </summary>
    public async Task<IReadOnlyList<Issued>> HandleManyAsync(IReadOnlyList<CreateInvoice> requests, CancellationToken cancellationToken, DateTime? issuedUtc = null)
    {
        var issued = issuedUtc ?? clock.GetUtcNow().UtcDateTime;
        var billing = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            // A retried job asks again with the same source: it gets the invoice issued the first time, as it is now.
            var results = new Issued?[requests.Count];
            var existing = await IssuedForAsync(requests, cancellationToken);
            var customerIds = requests.Select(r => r.CustomerId).Distinct(StringComparer.Ordinal).ToList();
            var profiles = await db.Profiles.AsNoTracking().Where(p => customerIds.Contains(p.CustomerId)).ToDictionaryAsync(p => p.CustomerId, StringComparer.Ordinal, cancellationToken);
            var toIssue = new List<(int Index, CreateInvoice Request, Func<string, Invoice> Issue)>();
            var firstOfSource = new Dictionary<(string, string), int>();
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i];
                if (request.SourceReference is { } source)
                {
                    if (existing.TryGetValue((request.CustomerId, source), out var earlier))
                    {
                        results[i] = new(earlier, null);
                        continue;
                    }
                    if (!firstOfSource.TryAdd((request.CustomerId, source), i))
                    {
                        continue;   // the same source twice in this batch: answered with the first one's invoice below
                    }
                }
                if (!profiles.TryGetValue(request.CustomerId, out var profile) || string.IsNullOrEmpty(profile.Country))
                {
                    results[i] = new(null, new MissingBillingInformationException());
                    continue;
                }
                var tax = TaxPolicy.For(vatRates, billing.Seller.Country, profile.Country, profile.VatId, DateOnly.FromDateTime(issued));
                Invoice Issue(string number) => Invoice.Issue(number, request.CustomerId, request.Currency, issued, billing.PaymentTermDays, tax.RatePercent, profile.Snapshot(),
                    request.Lines.Select(l => (l.Description, l.Quantity, l.UnitPrice, l.PeriodStart, l.PeriodEnd, l.ProductReference)), request.SourceReference, request.DueOn);
                try
                {
                    _ = Issue("");   // a request the invoice refuses (no line, a bad quantity) must not take a number
                }
                catch (ArgumentException ex)
                {
                    results[i] = new(null, ex);
                    continue;
                }
                toIssue.Add((i, request, Issue));
            }
            if (toIssue.Count > 0)
            {
                // The year's counter is bumped in the invoices' own transaction, so a failed insert gives its numbers back, and
                // last: the invoices are inserted unnumbered, then the bump and the numbering are the transaction's final
                // statements. The bump holds the counter's row until the commit, so concurrent issuers (the renewal drains) take
                // numbers one after another; they now wait for a bump and a rename, not for a batch's inserts.
                var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
                try
                {
                    var invoices = toIssue.Select(item => (item.Index, Invoice: item.Issue(Invoice.Unnumbered()))).ToList();
                    db.Invoices.AddRange(invoices.Select(x => x.Invoice));
                    await db.SaveChangesAsync(cancellationToken);
                    var first = await ReserveNumbersAsync(issued.Year, invoices.Count, cancellationToken);
                    for (var n = 0; n < invoices.Count; n++)
                    {
                        invoices[n].Invoice.Numbered($"INV-{issued.Year}-{first + n:000000}");
                    }
                    await SaveNumbersAsync(invoices.Select(x => x.Invoice).ToList(), cancellationToken);
                    if (ownTransaction is not null)
                    {
                        await ownTransaction.CommitAsync(cancellationToken);
                    }
                    foreach (var (index, invoice) in invoices)
                    {
                        results[index] = new(invoice, null);
                    }
                }
                // Not Claims.RetryOnConflictAsync/TryInsertOnceAsync alone: a conflict is either the counter's first row of the year (SQLite, SQL Server: take the next numbers; PostgreSQL's upsert waits instead) or a source (return the winner's).
                catch (DbUpdateException) when (ownTransaction is not null && attempt < Attempts)
                {
                    // The year's first invoice was issued concurrently (not on PostgreSQL), or (the unique source index) a source was issued concurrently:
                    // everything is read again, and the sources issued meanwhile are answered with the winner's invoices.
                    await ownTransaction.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    continue;
                }
                finally
                {
                    if (ownTransaction is not null)
                    {
                        await ownTransaction.DisposeAsync();
                    }
                }
            }
            for (var i = 0; i < requests.Count; i++)
            {
                results[i] ??= results[firstOfSource[(requests[i].CustomerId, requests[i].SourceReference!)]];
            }
            return results.Select(r => r!).ToList();
        }
    }

    private async Task<Dictionary<(string CustomerId, string Source), Invoice>> IssuedForAsync(IReadOnlyList<CreateInvoice> requests, CancellationToken cancellationToken)
    {
        var sources = requests.Where(r => r.SourceReference is not null).Select(r => r.SourceReference!).Distinct(StringComparer.Ordinal).ToList();
        if (sources.Count == 0)
        {
            return new();
        }
        var customerIds = requests.Select(r => r.CustomerId).Distinct(StringComparer.Ordinal).ToList();
        // By customer only, then the sources in memory: with both lists in one condition PostgreSQL 15 probes the
        // (customer, source) index once per pair (40,000 descents for a batch of 200, 70 ms at 13,000 invoices and growing
        // with them), with the customers alone once per customer. The references are machine-made, compared ordinally.
        var wanted = sources.ToHashSet(StringComparer.Ordinal);
        var ids = (await db.Invoices.AsNoTracking()
                .Where(i => customerIds.Contains(i.CustomerId) && i.SourceReference != null)
                .Select(i => new { i.Id, i.SourceReference })
                .ToListAsync(cancellationToken))
            .Where(i => wanted.Contains(i.SourceReference!)).Select(i => i.Id).ToList();
        if (ids.Count == 0)
        {
            return new();
        }
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines).Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken);
        return invoices.ToDictionary(i => (i.CustomerId, i.SourceReference!));
    }

    /// <summary>
    /// Writes the numbers just given to invoices inserted unnumbered in this transaction. On PostgreSQL one statement for the
    /// batch (a renewal drain's 200 invoices were 200 updates, made while the year's counter is held); elsewhere the tracked
    /// invoices are saved. Nobody else can see these rows before the commit, so no version is checked.
    /// </summary>
    private async Task SaveNumbersAsync(List<Invoice> invoices, CancellationToken cancellationToken)
    {
        if (invoices.Count == 1 || !db.ClaimsWithSkipLocked())
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        var ids = invoices.Select(i => i.Id).ToArray();
        var numbers = invoices.Select(i => i.Number).ToArray();
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE billing.invoices AS i SET "Number" = n.number
            FROM unnest({ids}, {numbers}) AS n(id, number)
            WHERE i."Id" = n.id
            """, cancellationToken);
        if (updated != invoices.Count)
        {
            throw new InvalidOperationException($"{updated} of {invoices.Count} invoices were numbered.");
        }
        foreach (var invoice in invoices)
        {
            // The numbers are in the rows now: the tracker takes them as saved (not as changes to save again).
            var number = db.Entry(invoice).Property(i => i.Number);
            number.OriginalValue = number.CurrentValue;
            number.IsModified = false;
        }
    }

    /// <summary>Bumps the year's counter by <paramref name="count"/>; returns the first of the numbers taken.</summary>
    private async Task<int> ReserveNumbersAsync(int year, int count, CancellationToken cancellationToken)
    {
        var version = Guid.NewGuid();
        if (db.ClaimsWithSkipLocked())
        {
            // PostgreSQL: one upsert that answers its own result, one round trip while the row is held. The year's first
            // numbers insert the counter's row; a concurrent first insert waits for the other and then bumps it (no unique
            // violation that would throw away and redo a drain's whole batch).
            var bumpedTo = await db.Database.SqlQuery<int>($"""
                INSERT INTO billing.invoice_numbers AS c ("Year", "Last", "Version") VALUES ({year}, {count}, {version})
                ON CONFLICT ("Year") DO UPDATE SET "Last" = c."Last" + excluded."Last", "Version" = excluded."Version"
                RETURNING c."Last" AS "Value"
                """).ToListAsync(cancellationToken);
            return bumpedTo[0] - count + 1;
        }
        var bumped = await db.InvoiceNumbers.Where(c => c.Year == year)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, c => c.Last + count).SetProperty(c => c.Version, version), cancellationToken);
        if (bumped == 0)
        {
            db.InvoiceNumbers.Add(new InvoiceNumberCounter { Year = year, Last = count, Version = version });
            return 1;
        }
        var last = await db.InvoiceNumbers.AsNoTracking().Where(c => c.Year == year).Select(c => c.Last).SingleAsync(cancellationToken);
        return last - count + 1;
    }
}
