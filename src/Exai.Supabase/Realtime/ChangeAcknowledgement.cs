namespace Exai.Supabase.Realtime;

/// <summary>When an event counts as processed, so a permanent slot resumes after it.</summary>
public enum ChangeAcknowledgement
{
    /// <summary>
    /// An event is acknowledged when the consumer asks for the next one (the body of <c>await foreach</c> finished).
    /// An event whose processing threw, or the last one before the consumer stopped, is delivered again on resume.
    /// </summary>
    OnNextRead,

    /// <summary>
    /// Only <see cref="ChangeEvent.Acknowledge"/> and <see cref="ChangeFeedSubscription.AcknowledgeAsync"/> acknowledge:
    /// for consumers that hand events to other work and confirm later.
    /// </summary>
    Manual,
}
