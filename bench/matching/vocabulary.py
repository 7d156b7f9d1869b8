"""Topical words the benchmark builds titles and journal names from, a few hundred per field.

Titles made from real scientific words share terms the way real titles do (many papers on
"graphene", few on "quasicrystals"), which is what makes a bibliographic search hard; random
letters would make every title unique and matching trivially easy.
"""
from __future__ import annotations


def _terms(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


# Each field: topics (what is studied), modifiers (adjectives), methods, systems (where or in
# what), conditions (under which), and the words its journals are named after.
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "physics": {
        "topics": _terms("""
            spin dynamics
            charge transport
            phonon scattering
            superconductivity
            magnetic anisotropy
            band structure
            thermal conductivity
            quantum entanglement
            topological phases
            electron correlation
            plasma confinement
            wave propagation
            optical absorption
            photoluminescence
            domain wall motion
            exciton dissociation
            spin-orbit coupling
            quantum coherence
            heat transfer
            turbulence
            shock waves
            vortex dynamics
            phase transitions
            critical behaviour
            magnetoresistance
            ferroelectricity
            Bose-Einstein condensation
            neutrino oscillations
            dark matter
            gravitational waves
            cosmic rays
            Raman scattering
            second harmonic generation
            nonlinear optics
            laser cooling
            quantum tunnelling
            surface plasmons
            acoustic resonances
            spin waves
            polaron formation
            electron-phonon coupling
            Kondo effect
            quantum Hall effect
            magnon transport
            soliton propagation
            light scattering
            hydrodynamic instabilities
            granular flow
            elastic deformation
            crystal growth
            dislocation dynamics
            radiation damage
            ion implantation
            thin film growth
            interfacial strain
            carrier recombination
            hot electron relaxation
            Anderson localization
            quantum criticality
            frustrated magnetism
            skyrmion lattices
            Majorana modes
            squeezed light
            photon statistics
            cavity optomechanics
            dielectric breakdown
        """),
        "modifiers": _terms("""
            anomalous
            ultrafast
            nonlinear
            anisotropic
            coherent
            collective
            topological
            two-dimensional
            quasi-one-dimensional
            strongly correlated
            disordered
            frustrated
            nonequilibrium
            low-temperature
            high-pressure
            giant
            tunable
            enhanced
            suppressed
            emergent
            chiral
            magnetic
            relativistic
            quantum
            classical
            stochastic
            spontaneous
            coupled
            dissipative
            metastable
            ballistic
            diffusive
            transient
            localized
            long-range
            short-range
            spin-polarized
            superconducting
            ferromagnetic
            antiferromagnetic
            multiferroic
            amorphous
            crystalline
            layered
            epitaxial
            self-organized
            resonant
            broadband
            polarized
            unconventional
        """),
        "methods": _terms("""
            density functional theory
            Monte Carlo simulations
            molecular dynamics
            neutron scattering
            X-ray diffraction
            angle-resolved photoemission
            scanning tunnelling microscopy
            pump-probe spectroscopy
            time-resolved spectroscopy
            muon spin rotation
            nuclear magnetic resonance
            electron spin resonance
            renormalization group analysis
            mean-field theory
            exact diagonalization
            tensor network methods
            finite element modelling
            lattice Boltzmann simulations
            transport measurements
            magneto-optical Kerr microscopy
            ellipsometry
            interferometry
            synchrotron radiation
            first-principles calculations
            perturbation theory
            path integral methods
            dynamical mean-field theory
            Green's function methods
            terahertz spectroscopy
            Brillouin light scattering
        """),
        "systems": _terms("""
            graphene
            topological insulators
            transition metal dichalcogenides
            perovskite oxides
            cuprate superconductors
            iron pnictides
            heavy fermion compounds
            spin glasses
            ultracold atoms
            optical lattices
            semiconductor quantum dots
            nanowires
            carbon nanotubes
            magnetic multilayers
            tokamak plasmas
            colloidal suspensions
            liquid crystals
            polymer melts
            metallic glasses
            photonic crystals
            metamaterials
            silicon photonics
            Josephson junctions
            superconducting qubits
            trapped ions
            neutron stars
            white dwarfs
            the early universe
            galaxy clusters
            the solar corona
            Heusler alloys
            van der Waals heterostructures
            kagome lattices
            honeycomb magnets
            gallium nitride
            bismuth selenide
            strontium titanate
            yttrium iron garnet
            twisted bilayer graphene
            hexagonal boron nitride
        """),
        "conditions": _terms("""
            high magnetic fields
            uniaxial strain
            hydrostatic pressure
            low temperatures
            strong driving
            periodic driving
            finite temperature
            external electric fields
            laser irradiation
            thermal gradients
            confinement
            shear flow
            ion irradiation
            weak disorder
        """),
        "journal_words": _terms("""
            Physics
            Applied Physics
            Condensed Matter
            Optics
            Photonics
            Plasma Physics
            Low Temperature Physics
            Magnetism and Magnetic Materials
            Quantum Electronics
            Acoustics
            Astrophysics
            Nuclear Physics
            Statistical Mechanics
            Surface Science
            Crystal Growth
            Solid State Communications
        """),
    },
    "chemistry": {
        "topics": _terms("""
            catalytic activity
            oxidation kinetics
            reaction mechanisms
            solvent effects
            hydrogen bonding
            proton transfer
            electron transfer
            ligand exchange
            self-assembly
            crystallization
            adsorption
            desorption
            corrosion
            polymerization
            photocatalysis
            electrocatalysis
            hydrogen evolution
            oxygen reduction
            carbon dioxide reduction
            nitrogen fixation
            C-H activation
            cross-coupling
            asymmetric hydrogenation
            enantioselective synthesis
            total synthesis
            surface functionalization
            ion exchange
            membrane separation
            gas storage
            charge storage
            lithium intercalation
            solid electrolyte interphase
            thermal stability
            hydrolysis
            fluorescence quenching
            aggregation-induced emission
            host-guest recognition
            supramolecular chirality
            dye degradation
            heavy metal removal
            biomass conversion
            lignin depolymerization
            water splitting
            nanoparticle synthesis
            sol-gel processing
            vapour deposition
            phase behaviour
            solubility
            viscosity
            dielectric properties
            conformational analysis
            vibrational spectra
            excited-state dynamics
            redox chemistry
            radical reactions
            click chemistry
            ring-opening polymerization
            olefin metathesis
            peptide coupling
            drug release
        """),
        "modifiers": _terms("""
            highly selective
            efficient
            green
            sustainable
            one-pot
            facile
            scalable
            mesoporous
            microporous
            hierarchical
            bimetallic
            single-atom
            heterogeneous
            homogeneous
            biodegradable
            amphiphilic
            cationic
            anionic
            zwitterionic
            chiral
            luminescent
            photoactive
            redox-active
            stimuli-responsive
            thermally stable
            water-soluble
            nanostructured
            doped
            functionalized
            cross-linked
            conjugated
            halogenated
            fluorinated
            aromatic
            aliphatic
            transition-metal
            lanthanide
            organic
            inorganic
            hybrid
            novel
            tunable
            robust
            low-cost
            high-performance
            solvent-free
            ligand-free
            metal-free
            visible-light-driven
            electrochemical
        """),
        "methods": _terms("""
            cyclic voltammetry
            X-ray photoelectron spectroscopy
            infrared spectroscopy
            NMR spectroscopy
            mass spectrometry
            high-performance liquid chromatography
            gas chromatography
            thermogravimetric analysis
            differential scanning calorimetry
            transmission electron microscopy
            single-crystal X-ray diffraction
            DFT calculations
            kinetic isotope effects
            in situ spectroscopy
            isothermal titration calorimetry
            electrochemical impedance spectroscopy
            UV-visible spectroscopy
            fluorescence spectroscopy
            EXAFS analysis
            quantum chemical calculations
            microwave-assisted synthesis
            hydrothermal synthesis
            flow chemistry
            high-throughput screening
            machine learning
            response surface methodology
            solid-state NMR
            Raman spectroscopy
            atomic force microscopy
            dynamic light scattering
        """),
        "systems": _terms("""
            metal-organic frameworks
            covalent organic frameworks
            zeolites
            ionic liquids
            deep eutectic solvents
            perovskite solar cells
            lithium-ion batteries
            sodium-ion batteries
            supercapacitors
            fuel cells
            palladium complexes
            ruthenium complexes
            copper catalysts
            gold nanoparticles
            silver nanoparticles
            titanium dioxide
            zinc oxide
            cerium oxide
            graphene oxide
            carbon dots
            polymer brushes
            hydrogels
            dendrimers
            cyclodextrins
            calixarenes
            porphyrins
            fullerenes
            quantum dots
            block copolymers
            polyoxometalates
            aqueous solutions
            heterocyclic compounds
            amino acids
            carbohydrates
            fatty acids
            N-heterocyclic carbenes
            boronic acids
            organosilanes
            spinel ferrites
            layered double hydroxides
        """),
        "conditions": _terms("""
            ambient conditions
            mild conditions
            visible light
            microwave irradiation
            high temperature
            supercritical conditions
            acidic media
            alkaline media
            aqueous media
            inert atmosphere
            flow conditions
            ultrasonic irradiation
        """),
        "journal_words": _terms("""
            Chemistry
            Organic Chemistry
            Inorganic Chemistry
            Physical Chemistry
            Analytical Chemistry
            Catalysis
            Materials Chemistry
            Polymer Science
            Electrochemistry
            Colloid and Interface Science
            Chemical Engineering
            Molecular Structure
            Photochemistry and Photobiology
            Solid State Chemistry
            Green Chemistry
            Medicinal Chemistry
        """),
    },
    "biomedicine": {
        "topics": _terms("""
            gene expression
            protein folding
            cell proliferation
            apoptosis
            autophagy
            inflammation
            immune response
            insulin resistance
            oxidative stress
            mitochondrial dysfunction
            synaptic plasticity
            neurodegeneration
            tumour progression
            metastasis
            angiogenesis
            drug resistance
            antibiotic resistance
            viral replication
            host-pathogen interactions
            epigenetic regulation
            DNA methylation
            histone modification
            RNA splicing
            microRNA regulation
            stem cell differentiation
            tissue regeneration
            wound healing
            bone remodelling
            muscle atrophy
            cardiac hypertrophy
            atherosclerosis
            hypertension
            obesity
            type 2 diabetes
            chronic kidney disease
            liver fibrosis
            sepsis
            asthma
            depression
            anxiety
            cognitive decline
            sleep deprivation
            pain perception
            memory consolidation
            brain volumetry
            gut microbiota
            vaccine efficacy
            antibody response
            T cell activation
            cytokine signalling
            lipid metabolism
            glucose homeostasis
            circadian rhythms
            ageing
            frailty
            mortality
            quality of life
            treatment outcomes
            adverse events
            dietary intake
            physical activity
            biomarker discovery
        """),
        "modifiers": _terms("""
            early
            late
            chronic
            acute
            systemic
            local
            maternal
            paediatric
            adult
            elderly
            human
            murine
            clinical
            preclinical
            prospective
            retrospective
            randomized
            longitudinal
            cross-sectional
            population-based
            multicentre
            genome-wide
            transcriptomic
            proteomic
            metabolic
            inflammatory
            neuroprotective
            cardioprotective
            antimicrobial
            antiviral
            anti-inflammatory
            targeted
            personalized
            non-invasive
            minimally invasive
            high-caloric
            low-dose
            long-term
            short-term
            sex-specific
            age-related
            diet-induced
            exercise-induced
            stress-induced
            hypoxic
            ischemic
            recurrent
            refractory
            novel
            combined
        """),
        "methods": _terms("""
            single-cell RNA sequencing
            whole-genome sequencing
            CRISPR screening
            flow cytometry
            immunohistochemistry
            magnetic resonance imaging
            functional MRI
            positron emission tomography
            meta-analysis
            systematic review
            cohort study
            case-control study
            randomized controlled trial
            Mendelian randomization
            mass cytometry
            quantitative PCR
            Western blotting
            confocal microscopy
            electrophysiology
            optogenetics
            mouse models
            zebrafish models
            organoid culture
            machine learning
            survival analysis
            mixed-effects models
            structural equation modelling
            histology
            questionnaire surveys
            qualitative interviews
        """),
        "systems": _terms("""
            mice
            rats
            zebrafish
            Drosophila
            Caenorhabditis elegans
            human subjects
            patients with breast cancer
            patients with heart failure
            older adults
            children
            adolescents
            pregnant women
            healthy volunteers
            primary care
            intensive care units
            the hippocampus
            the prefrontal cortex
            the liver
            skeletal muscle
            adipose tissue
            pancreatic beta cells
            macrophages
            neutrophils
            dendritic cells
            cardiomyocytes
            neurons
            astrocytes
            microglia
            endothelial cells
            fibroblasts
            hepatocytes
            tumour microenvironment
            colorectal cancer
            lung cancer
            glioblastoma
            Alzheimer's disease
            Parkinson's disease
            multiple sclerosis
            COVID-19
            tuberculosis
            malaria
            HIV infection
        """),
        "conditions": _terms("""
            a high-fat diet
            chronic stress
            hypoxia
            physical exercise
            caloric restriction
            antibiotic treatment
            pregnancy
            ageing
            social isolation
            sleep restriction
            immunosuppression
            chemotherapy
        """),
        "journal_words": _terms("""
            Medicine
            Clinical Medicine
            Neuroscience
            Immunology
            Oncology
            Cardiology
            Endocrinology
            Microbiology
            Cell Biology
            Molecular Biology
            Genetics
            Pharmacology
            Public Health
            Nutrition
            Psychiatry
            Brain Imaging and Behavior
        """),
    },
    "computing": {
        "topics": _terms("""
            image classification
            object detection
            semantic segmentation
            machine translation
            speech recognition
            question answering
            entity linking
            reference matching
            record linkage
            information retrieval
            recommendation
            anomaly detection
            intrusion detection
            malware analysis
            program synthesis
            code generation
            software testing
            fault localization
            formal verification
            model checking
            type inference
            garbage collection
            query optimization
            transaction processing
            distributed consensus
            load balancing
            resource scheduling
            energy efficiency
            edge computing
            federated learning
            reinforcement learning
            representation learning
            graph learning
            knowledge graphs
            time series forecasting
            data compression
            error correction
            routing
            congestion control
            network slicing
            blockchain
            privacy preservation
            differential privacy
            access control
            authentication
            human-robot interaction
            motion planning
            localization and mapping
            text summarization
            sentiment analysis
            topic modelling
            clustering
            dimensionality reduction
            feature selection
            hyperparameter optimization
            neural architecture search
            explainability
            fairness
            robustness
            scalability
        """),
        "modifiers": _terms("""
            scalable
            efficient
            robust
            adaptive
            distributed
            decentralized
            parallel
            incremental
            online
            offline
            lightweight
            secure
            privacy-preserving
            interpretable
            explainable
            deep
            shallow
            sparse
            dense
            probabilistic
            Bayesian
            approximate
            exact
            real-time
            low-latency
            energy-aware
            fault-tolerant
            self-supervised
            semi-supervised
            unsupervised
            supervised
            multi-task
            multimodal
            cross-lingual
            few-shot
            zero-shot
            hierarchical
            graph-based
            attention-based
            transformer-based
            rule-based
            hybrid
            generic
            formal
            automated
            interactive
            collaborative
            verifiable
            provably correct
            cost-effective
        """),
        "methods": _terms("""
            convolutional neural networks
            recurrent neural networks
            transformers
            graph neural networks
            variational autoencoders
            generative adversarial networks
            diffusion models
            support vector machines
            random forests
            gradient boosting
            genetic algorithms
            particle swarm optimization
            simulated annealing
            integer linear programming
            dynamic programming
            SAT solving
            symbolic execution
            abstract interpretation
            static analysis
            fuzzing
            contrastive learning
            knowledge distillation
            transfer learning
            active learning
            Markov decision processes
            hidden Markov models
            conditional random fields
            bloom filters
            locality-sensitive hashing
            inverted indexes
        """),
        "systems": _terms("""
            cloud data centres
            wireless sensor networks
            software-defined networks
            the Internet of Things
            vehicular networks
            mobile devices
            embedded systems
            multicore processors
            GPUs
            FPGAs
            relational databases
            key-value stores
            stream processing systems
            microservices
            smart contracts
            open-source repositories
            social networks
            electronic health records
            scholarly metadata
            bibliographic databases
            autonomous vehicles
            unmanned aerial vehicles
            industrial control systems
            smart grids
            recommender systems
            search engines
            large language models
            satellite imagery
            medical images
            point clouds
        """),
        "conditions": _terms("""
            adversarial attacks
            noisy labels
            limited data
            concept drift
            resource constraints
            network partitions
            heavy traffic
            uncertainty
            partial observability
            class imbalance
        """),
        "journal_words": _terms("""
            Computer Science
            Information Systems
            Artificial Intelligence
            Machine Learning Research
            Software Engineering
            Computer Networks
            Parallel and Distributed Computing
            Information Security
            Database Systems
            Computational Linguistics
            Robotics
            Pattern Recognition
            Computer Vision
            Information Retrieval
            Digital Libraries
            Theoretical Computer Science
        """),
    },
    "earth": {
        "topics": _terms("""
            sea level rise
            ocean acidification
            glacier retreat
            permafrost thaw
            soil erosion
            carbon sequestration
            nitrogen cycling
            groundwater recharge
            river discharge
            flood risk
            drought
            wildfire
            land use change
            deforestation
            biodiversity loss
            species distribution
            habitat fragmentation
            pollination
            seed dispersal
            invasive species
            coral bleaching
            fisheries management
            primary productivity
            phytoplankton blooms
            aerosol radiative forcing
            cloud feedbacks
            monsoon variability
            El Niño events
            tropical cyclones
            atmospheric rivers
            precipitation extremes
            heat waves
            air pollution
            ozone depletion
            methane emissions
            greenhouse gas fluxes
            sediment transport
            coastal erosion
            landslides
            earthquake rupture
            seismic hazard
            volcanic eruptions
            magma ascent
            crustal deformation
            plate subduction
            mantle convection
            isotope geochemistry
            paleoclimate
            ice core records
            tree-ring chronologies
            crop yields
            water quality
            urban heat islands
            ecosystem services
            microbial communities
            food webs
            population dynamics
            migration patterns
            phenology
            evapotranspiration
        """),
        "modifiers": _terms("""
            regional
            global
            coastal
            marine
            terrestrial
            alpine
            arctic
            antarctic
            tropical
            subtropical
            temperate
            boreal
            semi-arid
            urban
            rural
            agricultural
            seasonal
            interannual
            decadal
            centennial
            Holocene
            Pleistocene
            late Quaternary
            Cretaceous
            anthropogenic
            natural
            climate-driven
            extreme
            compound
            abrupt
            long-term
            spatiotemporal
            high-resolution
            remotely sensed
            observed
            projected
            simulated
            future
            historical
            multi-scale
            catchment-scale
            basin-wide
            nationwide
            transboundary
            shallow
            deep
            submarine
            volcanic
            sedimentary
            metamorphic
        """),
        "methods": _terms("""
            remote sensing
            satellite altimetry
            LiDAR
            eddy covariance
            stable isotope analysis
            radiocarbon dating
            luminescence dating
            geochemical modelling
            climate model ensembles
            regional climate models
            hydrological modelling
            species distribution models
            environmental DNA
            field experiments
            long-term monitoring
            citizen science
            GIS analysis
            seismic tomography
            InSAR
            GNSS observations
            numerical weather prediction
            data assimilation
            reanalysis data
            machine learning
            life cycle assessment
            scenario analysis
            structural equation modelling
            meta-analysis
            camera traps
            acoustic monitoring
        """),
        "systems": _terms("""
            the Tibetan Plateau
            the Amazon basin
            the Mediterranean Sea
            the North Atlantic
            the Southern Ocean
            the Arctic Ocean
            the Baltic Sea
            the Great Barrier Reef
            the Sahel
            the Andes
            the Alps
            the Himalaya
            the Yangtze River
            the Mekong Delta
            the Nile basin
            the Rhine catchment
            California
            the Loess Plateau
            Greenland
            West Antarctica
            Iceland
            Japan
            New Zealand
            East Africa
            the Congo basin
            peatlands
            mangrove forests
            grasslands
            wetlands
            karst aquifers
            estuaries
            salt marshes
            urban watersheds
            agricultural soils
            boreal forests
            tropical rainforests
            mountain lakes
            mid-ocean ridges
            subduction zones
            continental shelves
        """),
        "conditions": _terms("""
            climate change
            warming scenarios
            drought stress
            nutrient enrichment
            grazing pressure
            land abandonment
            fire suppression
            urbanization
            sea ice loss
            elevated CO2
        """),
        "journal_words": _terms("""
            Geophysical Research
            Earth Sciences
            Climate
            Hydrology
            Ecology
            Oceanography
            Atmospheric Sciences
            Geology
            Environmental Science
            Soil Science
            Quaternary Science
            Biogeosciences
            Remote Sensing
            Volcanology and Geothermal Research
            Conservation Biology
            Marine Biology
        """),
    },
    "social": {
        "topics": _terms("""
            income inequality
            social mobility
            labour market outcomes
            unemployment
            minimum wages
            migration
            remittances
            housing affordability
            gentrification
            educational attainment
            school choice
            teacher quality
            early childhood education
            student engagement
            academic performance
            gender gaps
            discrimination
            political polarization
            voter turnout
            public opinion
            trust in institutions
            corruption
            governance
            decentralization
            public spending
            tax compliance
            monetary policy
            inflation expectations
            exchange rates
            trade liberalization
            foreign direct investment
            firm productivity
            innovation
            entrepreneurship
            corporate governance
            financial inclusion
            microfinance
            household debt
            consumer behaviour
            brand loyalty
            organizational change
            leadership
            job satisfaction
            work-life balance
            social capital
            civic participation
            media coverage
            misinformation
            online communities
            digital divide
            health inequalities
            welfare reform
            pension systems
            urban governance
            climate policy
            energy transition
            scholarly communication
            research evaluation
            citation practices
            open access
        """),
        "modifiers": _terms("""
            comparative
            empirical
            theoretical
            historical
            institutional
            political
            economic
            social
            cultural
            regional
            local
            national
            transnational
            global
            rural
            urban
            informal
            formal
            digital
            intergenerational
            gendered
            racial
            ethnic
            religious
            post-socialist
            post-colonial
            neoliberal
            emerging
            developing
            advanced
            small
            large
            family
            public
            private
            non-profit
            participatory
            deliberative
            heterogeneous
            dynamic
            spatial
            behavioural
            experimental
            quasi-experimental
            causal
            critical
            normative
            strategic
            sustainable
            inclusive
        """),
        "methods": _terms("""
            panel data analysis
            difference-in-differences
            regression discontinuity
            instrumental variables
            field experiments
            survey experiments
            structural estimation
            agent-based modelling
            network analysis
            content analysis
            discourse analysis
            ethnography
            case studies
            process tracing
            qualitative comparative analysis
            grounded theory
            mixed methods
            bibliometric analysis
            text mining
            topic models
            multilevel models
            event history analysis
            latent class analysis
            propensity score matching
            synthetic control
            input-output analysis
            computable general equilibrium models
            interviews
            focus groups
            longitudinal surveys
        """),
        "systems": _terms("""
            China
            India
            Brazil
            Mexico
            Nigeria
            South Africa
            Indonesia
            Vietnam
            Germany
            France
            Spain
            Italy
            Poland
            Sweden
            the United Kingdom
            the United States
            Canada
            Australia
            the European Union
            Sub-Saharan Africa
            Latin America
            Southeast Asia
            OECD countries
            emerging markets
            small and medium enterprises
            multinational firms
            public universities
            secondary schools
            local governments
            rural households
            migrant workers
            young adults
            older workers
            women entrepreneurs
            refugees
            online platforms
            the gig economy
            academic libraries
            research funders
            scholarly publishers
        """),
        "conditions": _terms("""
            economic crisis
            the COVID-19 pandemic
            austerity
            globalization
            digital transformation
            rapid urbanization
            demographic change
            political uncertainty
            armed conflict
            institutional reform
        """),
        "journal_words": _terms("""
            Economics
            Sociology
            Political Science
            Public Administration
            Education
            Management
            Finance
            Development Studies
            Economic Geography
            Labour Economics
            Social Policy
            Communication
            Information Science
            Scholarly Publishing
            Urban Studies
            Business Research
        """),
    },
}

# How titles are phrased. {T}, {T2}: topics; {M}: modifier; {X}: method; {S}: system; {C}: condition.
TITLE_TEMPLATES: tuple[str, ...] = (
    "{M} {T} in {S}",
    "Effects of {T} on {T2} in {S}",
    "{T} and {T2} in {M} {S}",
    "{M} {T} of {S} under {C}",
    "Investigation of {T} in {S} using {X}",
    "A {X} study of {T} in {S}",
    "On the {T} of {M} {S}",
    "Role of {T} in {M} {T2}",
    "{M} {T} revealed by {X}",
    "Toward {M} {T}: {X} of {S}",
    "{T} in {S}: a {X} approach",
    "{X} of {M} {T} in {S}",
    "Understanding {T} in {S} under {C}",
    "{M} {T} and its impact on {T2}",
    "Early effects of {C} on {T} in {S}",
    "Linking {T} and {T2} in {S}: evidence from {X}",
    "{T} of {S}: {M} {T2} under {C}",
    "New insights into {T} from {X}",
)

# Titles in other languages: a template and the words for it, per language.
FOREIGN_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "templates": (
            "Untersuchungen zur {T} in {S}",
            "Über die {T} {S}",
            "Einfluss der {T} auf die {T2}",
            "{T} und {T2}: eine {M} Analyse",
        ),
        "T": _terms("""
            Wärmeleitfähigkeit
            Genexpression
            Bodenerosion
            Einkommensverteilung
            Proteinfaltung
            Grundwasserneubildung
            Katalyseaktivität
            Bildverarbeitung
            Stadtentwicklung
            Schlafqualität
        """),
        "S": _terms("""
            dünnen Schichten
            alpinen Böden
            mittelständischen Unternehmen
            älteren Patienten
            süddeutschen Gewässern
            Metallgläsern
        """),
        "M": _terms("""
            empirische
            vergleichende
            numerische
            längsschnittliche
        """),
    },
    "fr": {
        "templates": (
            "Étude de la {T} dans les {S}",
            "Sur la {T} des {S}",
            "Effets de la {T} sur la {T2}",
            "La {T} et la {T2} : une approche {M}",
        ),
        "T": _terms("""
            conductivité thermique
            dynamique des populations
            régulation génique
            mobilité sociale
            croissance cristalline
            qualité de l'eau
            recherche d'information
            précarité énergétique
        """),
        "S": _terms("""
            milieux poreux
            zones côtières
            entreprises familiales
            cellules souches
            sols agricoles
            réseaux de capteurs
        """),
        "M": _terms("""
            comparative
            expérimentale
            numérique
            historique
        """),
    },
    "es": {
        "templates": (
            "Análisis de la {T} en {S}",
            "Efectos de la {T} sobre la {T2}",
            "La {T} en {S}: un enfoque {M}",
        ),
        "T": _terms("""
            desigualdad económica
            erosión del suelo
            expresión génica
            calidad del agua
            migración laboral
            actividad catalítica
            producción científica
        """),
        "S": _terms("""
            América Latina
            ecosistemas andinos
            pacientes pediátricos
            universidades públicas
            cuencas hidrográficas
        """),
        "M": _terms("""
            comparativo
            empírico
            bibliométrico
        """),
    },
    "pt": {
        "templates": (
            "Avaliação da {T} em {S}",
            "Efeitos da {T} na {T2}",
        ),
        "T": _terms("""
            qualidade da água
            produção científica
            expressão gênica
            mobilidade urbana
            degradação do solo
        """),
        "S": _terms("""
            bacias hidrográficas
            pacientes idosos
            escolas públicas
            regiões semiáridas
        """),
        "M": _terms("""
            comparativa
        """),
    },
}

# Named series of books and conference proceedings.
BOOK_SERIES: tuple[str, ...] = _terms("""
    Lecture Notes in Computer Science
    Lecture Notes in Physics
    Advances in Experimental Medicine and Biology
    Methods in Molecular Biology
    Springer Series in Materials Science
    Topics in Current Chemistry
    Developments in Sedimentology
    Contributions to Economics
    Studies in Computational Intelligence
    Progress in Brain Research
    Handbook of Experimental Pharmacology
    Advances in Intelligent Systems and Computing
""")

BOOK_TITLE_TEMPLATES: tuple[str, ...] = (
    "Handbook of {T}",
    "{T}: Principles and Applications",
    "Advances in {T}",
    "{M} {T}",
    "{T} in {S}",
    "Perspectives on {T}",
    "An Introduction to {T}",
    "{T} and {T2}",
)

CONFERENCE_NAMES: tuple[str, ...] = (
    "International Conference on {J}",
    "European Conference on {J}",
    "IEEE International Symposium on {J}",
    "Annual Meeting of the Society for {J}",
    "International Workshop on {J}",
    "Asia-Pacific Conference on {J}",
)

JOURNAL_TEMPLATES: tuple[str, ...] = (
    "Journal of {J}",
    "International Journal of {J}",
    "Annals of {J}",
    "Advances in {J}",
    "Reviews in {J}",
    "{J} Letters",
    "{J} Research",
    "European Journal of {J}",
    "Journal of {M} {J}",
    "Frontiers in {J}",
    "Current Opinion in {J}",
    "{J} Reports",
    "Chinese Journal of {J}",
    "Asian Journal of {J}",
    "Acta {J}",
    "Bulletin of {J}",
    "Transactions on {J}",
    "Applied {J}",
    "Computational {J}",
    "Journal of Experimental {J}",
)

# Adjectives that qualify journal subjects ("Journal of Theoretical Physics").
JOURNAL_MODIFIERS: tuple[str, ...] = (
    "Theoretical", "Applied", "Clinical", "Experimental", "Computational", "Quantitative",
    "Molecular", "Environmental", "Industrial", "Comparative", "Translational", "Modern",
)

PUBLISHERS: tuple[str, ...] = (
    "Elsevier BV", "Springer Science and Business Media LLC", "Wiley", "Informa UK Limited",
    "American Chemical Society (ACS)", "IOP Publishing", "Oxford University Press (OUP)",
    "Cambridge University Press (CUP)", "MDPI AG", "Frontiers Media SA", "SAGE Publications",
    "American Physical Society (APS)", "Institute of Electrical and Electronics Engineers (IEEE)",
    "Royal Society of Chemistry (RSC)", "Walter de Gruyter GmbH", "Hindawi Limited",
    "AIP Publishing", "Association for Computing Machinery (ACM)", "Copernicus GmbH",
    "Public Library of Science (PLoS)", "Emerald", "Taylor & Francis", "Thieme", "Karger",
    "Universidad Nacional Autónoma de México", "Sociedade Brasileira de Química", "J-STAGE",
)

PREPRINT_SERVERS: tuple[tuple[str, str, str], ...] = (
    # (publisher, DOI prefix, the server's name as references print it) of posted-content copies
    ("Cold Spring Harbor Laboratory", "10.1101", "bioRxiv"),
    ("Cold Spring Harbor Laboratory", "10.1101", "medRxiv"),
    ("Center for Open Science", "10.31219", "OSF Preprints"),
    ("Research Square Platform LLC", "10.21203", "Research Square"),
    ("Elsevier BV", "10.2139", "SSRN Electronic Journal"),
    ("American Chemical Society (ACS)", "10.26434", "ChemRxiv"),
    ("Authorea, Inc.", "10.22541", "Authorea"),
)
