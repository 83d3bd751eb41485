/**
 * The demo corpus's technology themes, written by the project (no third-party text).
 * Each theme groups a few real IPC subclasses and a vocabulary; the generator gives every
 * code its own slice of its theme's words so that patent text carries the code signal.
 */
export interface DemoTheme {
  name: string;
  codes: string[];
  words: string[];
}

export const DEMO_THEMES: readonly DemoTheme[] = [
  {
    name: 'energy storage',
    codes: ['H01M', 'H02J', 'B60L'],
    words: ('battery anode cathode electrolyte lithium charging cell separator electrode capacity '
      + 'voltage converter inverter grid storage discharge module pack thermal management current').split(' '),
  },
  {
    name: 'telecommunication',
    codes: ['H04L', 'H04W', 'H04B'],
    words: ('network packet protocol wireless channel antenna transmitter receiver modulation carrier '
      + 'frequency bandwidth handover terminal base station signal encoding decoding frame latency').split(' '),
  },
  {
    name: 'computing',
    codes: ['G06F', 'G06N', 'G06T', 'G06Q'],
    words: ('processor memory software interface database query learning neural training inference '
      + 'image pixel rendering transaction payment scheduling cache compiler model classifier').split(' '),
  },
  {
    name: 'pharmaceuticals',
    codes: ['A61K', 'A61P', 'C07D', 'C07K'],
    words: ('compound pharmaceutical composition dosage tablet antibody peptide protein receptor inhibitor '
      + 'heterocyclic synthesis formulation therapy disease treatment oral injection tumor enzyme').split(' '),
  },
  {
    name: 'combustion engines',
    codes: ['F02M', 'F02D', 'F01N', 'B60W'],
    words: ('engine fuel injector combustion cylinder piston exhaust catalyst turbocharger throttle '
      + 'ignition valve intake emission torque driveline crankshaft lubrication manifold sensor').split(' '),
  },
  {
    name: 'semiconductors',
    codes: ['H01L', 'H10K', 'G03F'],
    words: ('semiconductor wafer transistor substrate lithography photoresist dielectric gate diode '
      + 'organic deposition etching mask layer doping silicon nitride oxide interconnect package').split(' '),
  },
  {
    name: 'food',
    codes: ['A23L', 'A21D', 'A47J'],
    words: ('food dough pizza baking oven flour cheese sauce topping cooking kitchen appliance '
      + 'beverage flavour nutritional crust frozen heating container recipe').split(' '),
  },
  {
    name: 'pollution abatement',
    codes: ['B01D', 'B01J', 'C02F', 'F23J'],
    words: ('filter scrubber adsorption membrane wastewater sludge flue gas particulate dust '
      + 'catalytic absorption desulphurisation purification effluent solvent recovery sorbent treatment plant').split(' '),
  },
  {
    name: 'aircraft and drones',
    codes: ['B64C', 'B64D', 'B64U', 'G05D'],
    words: ('aircraft drone rotor propeller wing fuselage flight autopilot navigation payload '
      + 'landing hover altitude unmanned aerial thrust gimbal trajectory control jet').split(' '),
  },
  {
    name: 'optics and displays',
    codes: ['G02B', 'G09G', 'H04N'],
    words: ('optical lens display pixel backlight projector camera video luminance waveguide '
      + 'mirror polarizer screen resolution colour panel brightness prism sensor holographic').split(' '),
  },
];

/**
 * Words of no single theme, each placed at its own point of the latent space: a main group also
 * owns the few of them nearest to it, so codes close in that space share words across themes and
 * text similarity follows latent distance, which is what makes future combinations predictable
 * from text (as neighbouring technologies share vocabulary in real patents).
 */
export const SHARED_WORDS: readonly string[] = ('actuator bearing coating composite controller coupling '
  + 'detector diagnostic dispenser enclosure fastener fibre film gasket housing hydraulic insulation '
  + 'laser magnet mesh micro modular monitoring motor nozzle optimisation polymer porous pressure pump '
  + 'recycling regulator robot seal shaft spectrum spring switch telemetry textile thermostat tube '
  + 'ultrasonic vacuum vibration cartridge zinc alloy ceramic').split(' ');

/** Patent boilerplate shared by every theme: it carries no code signal, like real claims language. */
export const GENERIC_WORDS: readonly string[] = ('method system apparatus device assembly arrangement unit '
  + 'improved process means use').split(' ');

export const ABSTRACT_TEMPLATES: readonly string[] = [
  'A {a} comprising a {b} and a {c} is disclosed.',
  'The {a} is arranged to control the {b} so that the {c} is improved.',
  'In one embodiment the {a} includes a {b} coupled to the {c}.',
  'The invention provides a {a} for {b} with reduced {c}.',
  'A method of operating a {a} wherein the {b} adjusts the {c}.',
];
