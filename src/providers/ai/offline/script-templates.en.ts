import type { LanguageTemplates } from 'src/providers/ai/offline/script-templates';

// The topic only ever follows a preposition or a colon, so any noun phrase or question reads grammatically.
export const EN_SCRIPT_TEMPLATES: LanguageTemplates = {
  topicStandIn: 'this topic',
  facets: {
    hook: {
      lead: {
        neutral: [
          (r) => `Here's something worth knowing about ${r}.`,
          (r) => `You've probably heard about ${r}, but there's more to it than most people think.`,
        ],
        playful: [(r) => `Okay, quick question: how much do you really know about ${r}?`],
        serious: [(r) => `Let's take a clear, honest look at ${r}.`],
        inspiring: [(r) => `Every big idea starts with curiosity, and today that idea is ${r}.`],
      },
      short: (r) => `Let's talk about ${r}.`,
      support: [
        "We'll go through the basics, why they matter, and a few things that might surprise you.",
        'Stick around, because the best part comes near the end.',
        'Most people only ever see the surface.',
        "Once you see how it all fits together, it's hard to unsee.",
        "So let's get straight into it.",
      ],
    },
    intro: {
      lead: {
        neutral: [
          (r) => `Let's start with the basics of ${r}.`,
          (r) => `First, what are we actually talking about when we talk about ${r}?`,
        ],
        playful: [(r) => `Step one: figuring out what's going on with ${r}, no boring textbook required.`],
        serious: [(r) => `To begin, it helps to be precise about ${r}.`],
        inspiring: [(r) => `Every journey starts with a first step, and ours starts with the basics of ${r}.`],
      },
      short: 'First, the basics.',
      support: [
        'At its core, it comes down to a few simple ideas.',
        'Strip away the jargon, and the main idea is surprisingly easy to follow.',
        'It touches more parts of everyday life than you might expect.',
        'Experts and beginners alike start from the same building blocks.',
        'Keep those basics in mind, because everything else builds on them.',
      ],
    },
    origin: {
      lead: {
        neutral: [
          (r) => `So where did the story of ${r} begin?`,
          (r) => `Every story has a beginning, and that includes the story of ${r}.`,
        ],
        playful: [(r) => `Time for a quick trip back in time to see how it all started with ${r}.`],
        serious: [(r) => `Understanding the origins of ${r} puts the present into context.`],
        inspiring: [(r) => `Behind ${r} are people who were curious enough to ask a question and kept going.`],
      },
      short: 'A little history.',
      support: [
        "It didn't appear overnight; it grew step by step.",
        'Early ideas were often rough, incomplete, or simply wrong.',
        'Each generation refined what the one before it had learned.',
        'Some of the biggest leaps came from accidents and unexpected discoveries.',
        'That long path explains a lot about how things look today.',
      ],
    },
    why: {
      lead: {
        neutral: [
          (r) => `So why should you care about ${r}?`,
          (r) => `Here's why it's worth paying attention to ${r}.`,
        ],
        playful: [(r) => `Now, why should you care about ${r}? Spoiler: more than you think.`],
        serious: [(r) => `The importance of ${r} is easy to underestimate.`],
        inspiring: [(r) => `Understanding ${r} can change the way you see the world around you.`],
      },
      short: "Here's why it matters.",
      support: [
        'It shapes decisions that people make every single day.',
        'It affects how we work, how we learn, and how we spend our time.',
        'Ignoring it can be costly, while understanding it pays off again and again.',
        'It also connects to bigger questions about how the world works.',
        'In short, a little knowledge here goes a long way.',
      ],
    },
    how: {
      lead: {
        neutral: [
          (r) => `So what's really happening behind the scenes of ${r}?`,
          (r) => `Let's look under the hood of ${r}.`,
        ],
        playful: [(r) => `Time to peek behind the curtain and see what makes ${r} tick.`],
        serious: [(r) => `Now let's examine the mechanics of ${r}, step by step.`],
        inspiring: [(r) => `Once you understand the workings of ${r}, you'll start to see possibilities everywhere.`],
      },
      short: "Here's how it works.",
      more: ["Let's go one layer deeper into how it works.", "There's one more piece of the puzzle."],
      support: [
        'It starts with a simple input or a starting condition.',
        'Then a series of steps builds on each other, each one small on its own.',
        'Together, those small steps add up to something much bigger.',
        'Change one piece, and the whole result can shift.',
        "That's the mechanism in a nutshell.",
      ],
    },
    example: {
      lead: {
        neutral: [(r) => `Let's make ${r} concrete with an example.`, (r) => `Picture a real-world example of ${r}.`],
        playful: [(r) => `Example time: let's spot ${r} out in the wild.`],
        serious: [(r) => `A concrete case shows how ${r} plays out in practice.`],
        inspiring: [(r) => `Look around, and you'll find traces of ${r} in surprising places.`],
      },
      short: "Here's an example.",
      more: ["Here's another example from a different angle.", 'One last example before we move on.'],
      support: [
        'Imagine an ordinary day, from the morning coffee to the commute home.',
        'At several points in that day, this idea is quietly at work.',
        'Most of the time, nobody notices it.',
        'But once you know what to look for, you start spotting it everywhere.',
        "That's what makes a good example stick.",
      ],
    },
    fact: {
      lead: {
        neutral: [
          (r) => `Here's a surprising fact about ${r}.`,
          (r) => `Now for something most people don't know about ${r}.`,
        ],
        playful: [(r) => `Fun fact incoming about ${r}, and it's a good one.`],
        serious: [(r) => `One aspect of ${r} tends to surprise even well-informed people.`],
        inspiring: [(r) => `Here's a fact that shows just how remarkable the story of ${r} really is.`],
      },
      short: 'Now, a surprising fact.',
      more: ["And here's another surprise.", "One more fact that's worth remembering."],
      support: [
        'The real picture is often more complex than the popular version.',
        'Small details turn out to have an outsized effect.',
        'Some of the most important parts are the least visible.',
        'Even specialists still debate parts of it today.',
        "That's a good reminder to stay curious.",
      ],
    },
    myth: {
      lead: {
        neutral: [
          (r) => `There's a common myth about ${r} worth clearing up.`,
          (r) => `Let's bust a popular misconception about ${r}.`,
        ],
        playful: [(r) => `Myth-busting time! Let's tackle a popular misconception about ${r}.`],
        serious: [(r) => `A widespread misconception about ${r} deserves a correction.`],
        inspiring: [(r) => `Don't let a common myth about ${r} hold you back.`],
      },
      short: "Let's clear up a common myth.",
      support: [
        "Many people assume it's either too complicated or too simple to matter.",
        'In reality, the truth sits somewhere in between.',
        'The myth survives because it sounds plausible and gets repeated often.',
        'A quick look at the evidence tells a different story.',
        "So the next time you hear it, you'll know better.",
      ],
    },
    tip: {
      lead: {
        neutral: [
          (r) => `Here's a practical tip if you want to explore ${r} yourself.`,
          (r) => `Here's a simple way to start learning about ${r} today.`,
        ],
        playful: [(r) => `Pro tip, and yes, you can totally try this at home: start small with ${r}.`],
        serious: [(r) => `Here is a practical recommendation for anyone approaching ${r}.`],
        inspiring: [(r) => `You don't need to be an expert to start exploring ${r}; you just need to begin.`],
      },
      short: "Here's a quick tip.",
      more: ["Here's another tip that makes a big difference.", 'And one final tip.'],
      support: [
        'Begin with one small, specific question.',
        'Find a trusted source and spend ten focused minutes with it.',
        'Write down one thing you learned, in your own words.',
        'Then explain it to a friend, because teaching is the best way to remember.',
        "Repeat that once a week, and you'll be surprised how far you get.",
      ],
    },
    future: {
      lead: {
        neutral: [(r) => `So what's next for ${r}?`, (r) => `Let's look ahead at where things are going with ${r}.`],
        playful: [(r) => `Let's grab a crystal ball and guess what's next for ${r}.`],
        serious: [(r) => `Looking ahead, several open questions about ${r} remain.`],
        inspiring: [(r) => `The future of ${r} is still being written, and you could be part of it.`],
      },
      short: 'A quick look ahead.',
      support: [
        "New tools and ideas keep changing what's possible.",
        'Questions that once seemed settled are being looked at again.',
        'Some changes will be gradual, while others could arrive suddenly.',
        'Either way, the next few years should be interesting.',
        "It's a good time to pay attention.",
      ],
    },
    recap: {
      lead: {
        neutral: [(r) => `Let's recap what we've covered about ${r}.`, (r) => `Here's a quick recap on ${r}.`],
        playful: [(r) => `Speed recap! Here's the whole story of ${r} in a nutshell.`],
        serious: [(r) => `Let's summarise the key points about ${r}.`],
        inspiring: [(r) => `Let's bring it all together and see how far we've come with ${r}.`],
      },
      short: 'Quick recap.',
      support: [
        'The basics give you a foundation to build on.',
        'Knowing why it matters keeps you motivated.',
        'Understanding how it works turns facts into insight.',
        'And small, practical steps make it part of everyday life.',
        "That's the big picture.",
      ],
    },
    cta: {
      lead: {
        neutral: [
          (r) => `And that's the short version of ${r}.`,
          (r) => `Those are the essentials of ${r}, in a nutshell.`,
        ],
        playful: [(r) => `And that's the story of ${r}, served bite-sized!`],
        serious: [(r) => `That concludes our overview of ${r}.`],
        inspiring: [(r) => `Now you know more about ${r} than you did a few moments ago.`],
      },
      short: "That's a wrap.",
      support: [
        "There's always more to discover.",
        'If one idea stuck with you today, hold on to it.',
        'Try explaining it to someone else this week.',
        'Questions are welcome, so leave yours in the comments.',
        "We'll dig into related topics soon.",
      ],
    },
  },
  signOff: {
    neutral: 'Follow for more short explainers like this.',
    playful: 'Hit follow for more bite-sized fun, and see you next time!',
    serious: 'Follow for more clear, concise explainers.',
    inspiring: 'Follow along, and keep learning something new every day.',
  },
  shortSignOff: 'Follow for more.',
  title: {
    neutral: (t) => `${t}, Explained`,
    playful: (t) => `${t}: The Fun Guide`,
    serious: (t) => `${t}: The Essential Facts`,
    inspiring: (t) => `${t}: Why It Matters`,
  },
};
