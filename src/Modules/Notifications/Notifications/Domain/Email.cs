namespace ChaosModular.Notifications.Domain;

/// <summary>
/// One email to send. The row is the durable truth: a lost Hangfire job is re-enqueued from it,
/// and <see cref="SourceKey"/> makes the event that asked for it create it only once.
/// </summary>
internal sealed class Email
{
    private readonly List<StoredAttachment> _attachments = [];

    private Email() { }

    public Guid Id { get; private set; }
    public string SourceKey { get; private set; } = "";
    public string ToAddress { get; private set; } = "";
    public string ToName { get; private set; } = "";
    public string Template { get; private set; } = "";
    public string ModelJson { get; private set; } = "";
    public DateTime CreatedUtc { get; private set; }
    public DateTime? SentUtc { get; private set; }
    public int Attempts { get; private set; }
    public DateTime? LastAttemptUtc { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>While set and in the future, one send job holds the email; others leave it alone.</summary>
    public DateTime? LeaseUntilUtc { get; private set; }

    /// <summary>The send job holding the lease (a new id per run): a batch is claimed in one statement and read back by it.</summary>
    public Guid? LeaseHolder { get; private set; }

    public IReadOnlyList<StoredAttachment> Attachments => _attachments;

    public void Attach(string fileName, string contentType, byte[] content, string? renderer = null, string? reference = null) =>
        _attachments.Add(new StoredAttachment(Id, fileName, contentType, content, renderer, reference));

    public static Email Create(string sourceKey, string toAddress, string toName, string template, string modelJson, DateTime utcNow) => new()
    {
        Id = Guid.NewGuid(),
        SourceKey = sourceKey,
        ToAddress = toAddress,
        ToName = toName,
        Template = template,
        ModelJson = modelJson,
        CreatedUtc = utcNow,
    };

    /// <summary>What is kept of a failure: the error, cut to the column's 2,000 characters.</summary>
    public static string ErrorText(string error) => error.Length > 2000 ? error[..2000] : error;
}

internal sealed class StoredAttachment
{
    private StoredAttachment() { }

    public StoredAttachment(Guid emailId, string fileName, string contentType, byte[] content, string? renderer = null, string? reference = null)
    {
        Id = Guid.NewGuid();
        EmailId = emailId;
        FileName = fileName;
        ContentType = contentType;
        Content = content;
        Renderer = renderer;
        Reference = reference;
    }

    public Guid Id { get; private set; }
    public Guid EmailId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    /// <summary>Empty when <see cref="Renderer"/> makes the file at send time.</summary>
    public byte[] Content { get; private set; } = [];

    /// <summary>The module's <c>IEmailAttachmentRenderer</c> that makes the file when the email is sent; null when <see cref="Content"/> is the file.</summary>
    public string? Renderer { get; private set; }

    public string? Reference { get; private set; }
}
