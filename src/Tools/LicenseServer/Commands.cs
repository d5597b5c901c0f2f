using System.Globalization;

namespace ChaosModular.Tools.LicenseServer;

/// <summary>The commands behind <see cref="Cli"/>: each reads its options, does its work and prints what happened.</summary>
internal sealed class Commands(CommandContext context)
{
    private TextWriter Out => context.Out;

    private TextWriter Error => context.Error;

    public int Request(IReadOnlyList<string> args)
    {
        const string name = "request";
        var a = Arguments.Parse(args, name, ["server-id", "name", "fingerprint", "seats", "out", "state"], ["seats"]);
        var serverId = a.Required("server-id", name);
        var serverName = a.Required("name", name);
        var output = a.Required("out", name);
        var seatOptions = a.All("seats");
        if (seatOptions.Count == 0)
        {
            throw new UsageException($"{name}: --seats product=N is required (once per product).");
        }
        var seats = seatOptions.Select(ParseSeats).ToList();
        var fingerprint = a.Optional("fingerprint") ?? HostFingerprint.OfThisMachine();
        var problems = ActivationRequest.Problems(serverId, serverName, fingerprint, seats);
        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        var request = ActivationRequest.Create(serverId, serverName, fingerprint, seats, context.Time);
        request.WriteTo(output);
        var statePath = StatePath(a);
        var state = ClientState.Load(statePath);
        state.ServerId = serverId;
        state.ServerName = serverName;
        state.Fingerprint = fingerprint;
        state.RequestNonce = request.Nonce;
        state.Save(statePath);

        Out.WriteLine($"Wrote the activation request {output}");
        Out.WriteLine($"  Server:      {serverId} ({serverName})");
        Out.WriteLine($"  Fingerprint: {fingerprint}");
        Out.WriteLine($"  Created:     {Json.Time(request.CreatedAt)}");
        Out.WriteLine($"  Nonce:       {request.Nonce} (saved in {statePath})");
        foreach (var seat in seats)
        {
            Out.WriteLine($"  Seats:       {seat.Product} × {seat.Seats}");
        }
        Out.WriteLine("Upload it in the portal under Licensing › License Servers › Activate from a file, then verify the response:");
        Out.WriteLine($"  chaos-license-server verify --file RESPONSE --keys https://PORTAL{KeySet.WellKnownPath}");
        return Cli.Success;
    }

    public async Task<int> VerifyAsync(IReadOnlyList<string> args)
    {
        const string name = "verify";
        var a = Arguments.Parse(args, name, ["file", "keys", "fingerprint", "state"]);
        var path = a.Required("file", name);
        var keysSource = a.Required("keys", name);
        var json = await File.ReadAllTextAsync(path).ConfigureAwait(false);
        KeySet keys;
        try
        {
            keys = await KeySet.LoadAsync(keysSource, context.Http).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or FormatException or TaskCanceledException)
        {
            Error.WriteLine($"Cannot read the key set {keysSource}: {e.Message}");
            return Cli.Refused;
        }

        var verifier = new SignedFileVerifier(keys, context.Time);
        var format = SignedFile.TryParse(json, out var envelope, out _) ? envelope.Format : null;
        VerificationResult result;
        if (format == SignedFile.ActivationResponseFormat)
        {
            var statePath = StatePath(a);
            var state = ClientState.Load(statePath);
            if (string.IsNullOrEmpty(state.RequestNonce))
            {
                Error.WriteLine($"Refused: {statePath} holds no request nonce. Verify a response with the state file of the server that wrote the request (--state PATH).");
                return Cli.Refused;
            }
            var fingerprint = a.Optional("fingerprint") ?? state.Fingerprint ?? HostFingerprint.OfThisMachine();
            result = verifier.VerifyActivationResponse(json, fingerprint, state.RequestNonce);
        }
        else if (format == SignedFile.BorrowFormat)
        {
            result = verifier.VerifyBorrowFile(json);
        }
        else
        {
            result = verifier.VerifySignature(json);
        }

        if (result.ActivationResponse is { } response)
        {
            PrintActivationResponse(result, response);
        }
        else if (result.BorrowFile is { } borrow)
        {
            PrintBorrow(result, borrow);
        }
        if (!result.IsAccepted)
        {
            Error.WriteLine($"Refused: {result.Reason}");
            return Cli.Refused;
        }
        Out.WriteLine("Accepted.");
        return Cli.Success;
    }

    public async Task<int> ActivateAsync(IReadOnlyList<string> args)
    {
        const string name = "activate";
        var a = Arguments.Parse(args, name, ["portal", "code", "server-id", "name", "fingerprint", "state"]);
        var portal = PortalUri(a.Required("portal", name), name);
        var code = a.Required("code", name);
        var serverId = a.Required("server-id", name);
        var serverName = a.Required("name", name);
        var fingerprint = a.Optional("fingerprint") ?? HostFingerprint.OfThisMachine();
        var problems = ActivationRequest.IdentityProblems(serverId, serverName, fingerprint);
        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        var api = new LicenseServerApi(context.Http, portal);
        var activation = await api.ActivateAsync(code, serverId, serverName, fingerprint).ConfigureAwait(false);
        var statePath = StatePath(a);
        var state = ClientState.Load(statePath);
        state.ServerId = serverId;
        state.ServerName = serverName;
        state.Fingerprint = fingerprint;
        state.PortalUrl = portal.AbsoluteUri;
        state.ServerKey = activation.ServerKey;
        state.Secret = activation.Secret;
        state.LeaseTtlSeconds = activation.LeaseTtlSeconds;
        state.HeartbeatSeconds = activation.HeartbeatSeconds;
        state.LeaseIds = [];
        state.Save(statePath);

        Out.WriteLine($"Activated server {serverId} ({serverName}) on {portal.AbsoluteUri}");
        Out.WriteLine($"  Server key:  {activation.ServerKey}");
        Out.WriteLine($"  Fingerprint: {fingerprint}");
        Out.WriteLine($"  Leases last {activation.LeaseTtlSeconds} s; send a heartbeat every {activation.HeartbeatSeconds} s.");
        Out.WriteLine($"The secret is saved in {statePath} (readable by you only); the portal does not show it again.");
        return Cli.Success;
    }

    public async Task<int> LicensesAsync(IReadOnlyList<string> args)
    {
        var a = Arguments.Parse(args, "licenses", ["state"]);
        if (Activated(a) is not { } activated)
        {
            return Cli.Refused;
        }
        var api = activated.Api;
        var licenses = await api.LicensesAsync().ConfigureAwait(false);
        if (licenses.Count == 0)
        {
            Out.WriteLine("The account has no licenses.");
            return Cli.Success;
        }
        Out.WriteLine($"{"License",-38} {"Product",-24} {"Type",-20} {"Seats",5} {"In use",6} {"Borrowed",8} {"Free",5}  Expires");
        foreach (var l in licenses)
        {
            Out.WriteLine($"{l.LicenseId,-38} {l.Product,-24} {l.Type ?? "–",-20} {l.Quantity,5} {l.InUse,6} {l.Borrowed,8} {l.Available,5}  {(l.ExpiresOn is { } d ? Json.Date(d) : "–")}");
        }
        return Cli.Success;
    }

    public async Task<int> LeaseAsync(IReadOnlyList<string> args)
    {
        const string name = "lease";
        var a = Arguments.Parse(args, name, ["license", "product", "seats", "state"]);
        var target = (a.Optional("license"), a.Optional("product")) switch
        {
            ({ Length: > 0 } license, null) => LeaseTarget.ForLicense(license),
            (null, { Length: > 0 } product) => LeaseTarget.ForProduct(product),
            _ => throw new UsageException($"{name}: give either --license ID or --product CODE."),
        };
        var seats = 1;
        if (a.Optional("seats") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seats) || seats < 1))
        {
            throw new UsageException($"{name}: --seats must be a whole number of at least 1, not \"{text}\".");
        }
        if (Activated(a) is not { } activated)
        {
            return Cli.Refused;
        }
        var (api, state, statePath) = activated;
        var lease = await api.LeaseAsync(target, seats).ConfigureAwait(false);
        if (!state.LeaseIds.Contains(lease.LeaseId))
        {
            state.LeaseIds.Add(lease.LeaseId);
        }
        state.Save(statePath);
        Out.WriteLine($"Leased {lease.Seats} seat(s) of license {lease.LicenseId} ({target}).");
        Out.WriteLine($"  Lease:   {lease.LeaseId}");
        Out.WriteLine($"  Expires: {Json.Time(lease.ExpiresAt)} unless a heartbeat renews it.");
        return Cli.Success;
    }

    public async Task<int> HeartbeatAsync(IReadOnlyList<string> args)
    {
        var a = Arguments.Parse(args, "heartbeat", ["state"]);
        if (Activated(a) is not { } activated)
        {
            return Cli.Refused;
        }
        var (api, state, statePath) = activated;
        var beat = await api.HeartbeatAsync().ConfigureAwait(false);
        state.LeaseIds = [.. beat.Leases.Select(l => l.LeaseId)];
        state.LeaseTtlSeconds = beat.LeaseTtlSeconds;
        state.Save(statePath);
        Out.WriteLine($"Heartbeat sent. Portal time {Json.Time(beat.ServerTime)}; leases last {beat.LeaseTtlSeconds} s.");
        Out.WriteLine(beat.Leases.Count == 0 ? "No leases held." : $"{beat.Leases.Count} lease(s) held:");
        foreach (var l in beat.Leases)
        {
            Out.WriteLine($"  {l.LeaseId}  license {l.LicenseId}  {l.Seats} seat(s)  until {Json.Time(l.ExpiresAt)}");
        }
        foreach (var e in beat.Ended)
        {
            Out.WriteLine($"  Ended: {e.LeaseId}  license {e.LicenseId}  ({e.Reason})");
        }
        return Cli.Success;
    }

    public async Task<int> ReleaseAsync(IReadOnlyList<string> args)
    {
        const string name = "release";
        var a = Arguments.Parse(args, name, ["lease", "state"]);
        var leaseId = a.Required("lease", name);
        if (Activated(a) is not { } activated)
        {
            return Cli.Refused;
        }
        var (api, state, statePath) = activated;
        try
        {
            await api.ReleaseAsync(leaseId).ConfigureAwait(false);
        }
        catch (LicenseServerApiException e) when (e.Status == 404)
        {
            // Not (or no longer) this server's lease: it holds nothing to remember.
            state.LeaseIds.Remove(leaseId);
            state.Save(statePath);
            throw;
        }
        state.LeaseIds.Remove(leaseId);
        state.Save(statePath);
        Out.WriteLine($"Released lease {leaseId}.");
        return Cli.Success;
    }

    public int Help()
    {
        Out.WriteLine("""
            chaos-license-server: the reference license-server client of the Chaos portal (spec version 1).

            Offline, by file:
              request  --server-id ID --name NAME [--fingerprint sha256:HEX] --seats PRODUCT=N [--seats PRODUCT=N ...] --out FILE
                       Writes an activation request file to upload in the portal; remembers its nonce.
              verify   --file FILE --keys URL-or-PATH [--fingerprint sha256:HEX]
                       Verifies an activation response (signature, this host, the last request's nonce, dates)
                       or a borrow file (signature, dates) with the published key set, and shows what it grants.

            Online:
              activate --portal URL --code CODE --server-id ID --name NAME [--fingerprint sha256:HEX]
                       Exchanges a one-time activation code for this server's secret.
              licenses                                     The account's licenses and their free seats.
              lease    (--license ID | --product CODE) [--seats N]
              heartbeat                                    Renews all leases; shows those that ended.
              release  --lease ID

            Every command takes --state PATH (default ./chaos-license-server.json): the server's id, fingerprint,
            last request nonce, portal, secret and leases. The fingerprint defaults to this machine's.

            Exit codes: 0 done; 1 refused or invalid (not genuine, expired, not this host, refused by the portal,
            a value the spec does not allow); 2 the command line is wrong.
            """);
        return Cli.Success;
    }

    private void PrintActivationResponse(VerificationResult result, ActivationResponse r)
    {
        Out.WriteLine($"Genuine activation response, signed with key {result.File!.KeyId}.");
        Out.WriteLine($"  Account:     {r.Account}");
        Out.WriteLine($"  Activation:  {r.ActivationId}");
        Out.WriteLine($"  Server:      {r.ServerId} ({r.ServerName})");
        Out.WriteLine($"  Fingerprint: {r.HostFingerprint}");
        Out.WriteLine($"  Issued:      {Json.Time(r.IssuedAt)}");
        Out.WriteLine($"  Valid until: {Json.Time(r.ValidUntil)}");
        Out.WriteLine("  Licenses:");
        foreach (var l in r.Licenses)
        {
            Out.WriteLine($"    {l.Product} ({l.ProductName}), {l.Type ?? "–"}: {l.Seats} seat(s), expires {Json.Date(l.ExpiresOn)}  [license {l.LicenseId}]");
        }
    }

    private void PrintBorrow(VerificationResult result, BorrowFile b)
    {
        Out.WriteLine($"Genuine borrow file, signed with key {result.File!.KeyId}.");
        Out.WriteLine($"  Account:     {b.Account}");
        Out.WriteLine($"  Borrow:      {b.BorrowId}");
        Out.WriteLine($"  Product:     {b.Product} ({b.ProductName}), license {b.LicenseId}");
        Out.WriteLine($"  Seats:       {b.Seats}");
        Out.WriteLine($"  Machine:     {b.Machine}");
        Out.WriteLine($"  Borrowed:    {Json.Time(b.BorrowedAt)}");
        Out.WriteLine($"  Return by:   {Json.Time(b.ReturnBy)}");
    }

    private int Invalid(IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            Error.WriteLine($"Invalid: {problem}");
        }
        return Cli.Refused;
    }

    /// <summary>The API of the activated server in the state file, or null (with a message) when it has not been activated online.</summary>
    private (LicenseServerApi Api, ClientState State, string StatePath)? Activated(Arguments a)
    {
        var statePath = StatePath(a);
        var state = ClientState.Load(statePath);
        if (string.IsNullOrEmpty(state.PortalUrl) || string.IsNullOrEmpty(state.Secret)
            || !Uri.TryCreate(state.PortalUrl, UriKind.Absolute, out var portal))
        {
            Error.WriteLine($"Not activated: {statePath} holds no portal and secret. Run `chaos-license-server activate` first.");
            return null;
        }
        return (new LicenseServerApi(context.Http, portal, state.Secret), state, statePath);
    }

    private static string StatePath(Arguments a) => a.Optional("state") is { Length: > 0 } path ? path : ClientState.DefaultPath;

    private static Uri PortalUri(string text, string command) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new UsageException($"{command}: --portal must be an http(s) address, not \"{text}\".");

    private static SeatRequest ParseSeats(string text)
    {
        var equals = text.LastIndexOf('=');
        return equals > 0 && int.TryParse(text.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seats)
            ? new SeatRequest(text[..equals], seats)
            : throw new UsageException($"request: --seats takes PRODUCT=N, not \"{text}\".");
    }
}
